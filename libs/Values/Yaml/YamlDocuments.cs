using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Lookout.Values.Yaml;

/// <summary>
/// Reads YAML documents (Kubernetes manifests, ConfigMaps, scenario files) as JSON, resolving plain scalars the
/// way Kubernetes' YAML decoder does: <c>null</c>/<c>~</c>/empty, <c>true</c>/<c>false</c>, integers and floats
/// become JSON values; everything quoted stays a string.
/// </summary>
public static partial class YamlDocuments
{
    /// <summary>Parses every document of a YAML stream; empty documents are skipped.</summary>
    /// <param name="yaml">The text.</param>
    /// <param name="source">Where the text came from, named in errors (a file name).</param>
    /// <exception cref="FormatException">The YAML is invalid; the message names the source, line and column.</exception>
    public static IReadOnlyList<JsonNode> Parse(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new FormatException($"{source}:{ex.Start.Line}:{ex.Start.Column}: invalid YAML: {ex.Message}", ex);
        }

        var documents = new List<JsonNode>();
        foreach (YamlDocument document in stream.Documents)
        {
            JsonNode? node = Convert(document.RootNode, source);
            if (node is not null)
            {
                documents.Add(node);
            }
        }

        return documents;
    }

    /// <summary>Parses the one document of a YAML text as a <see cref="JsonElement"/>.</summary>
    public static JsonElement ParseSingle(string yaml, string source)
    {
        IReadOnlyList<JsonNode> documents = Parse(yaml, source);
        if (documents.Count != 1)
        {
            throw new FormatException($"{source}: expected one YAML document, found {documents.Count}");
        }

        return JsonSerializer.SerializeToElement(documents[0]);
    }

    private static JsonNode? Convert(YamlNode node, string source)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (KeyValuePair<YamlNode, YamlNode> entry in mapping.Children)
                {
                    if (entry.Key is not YamlScalarNode key)
                    {
                        throw new FormatException($"{source}:{entry.Key.Start.Line}:{entry.Key.Start.Column}: mapping keys must be scalars");
                    }

                    obj[key.Value ?? string.Empty] = Convert(entry.Value, source);
                }

                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                foreach (YamlNode item in sequence.Children)
                {
                    array.Add(Convert(item, source));
                }

                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                return null;
        }
    }

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        string text = scalar.Value ?? string.Empty;
        if (scalar.Style != ScalarStyle.Plain || (scalar.Tag.IsEmpty == false && scalar.Tag.Value == "tag:yaml.org,2002:str"))
        {
            return JsonValue.Create(text);
        }

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
            default:
                break;
        }

        if (IntegerPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
        {
            return JsonValue.Create(integer);
        }

        if (text.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long hex))
        {
            return JsonValue.Create(hex);
        }

        if (FloatPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(text);
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
