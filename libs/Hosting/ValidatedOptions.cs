using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Lookout.Hosting;

/// <summary>
/// Options bound from a configuration section and validated when the host starts, so a bad setting fails fast
/// with its full configuration key in the message (<c>Watcher:DemoReplayInterval: must be positive</c>).
/// </summary>
public static class ValidatedOptions
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> from <paramref name="sectionName"/>, validates its data annotations and
    /// <paramref name="validate"/> at start-up. <paramref name="validate"/> returns (setting, problem) pairs, where
    /// setting is the key below the section (<c>DemoReplayInterval</c>).
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(
        this IServiceCollection services,
        IConfiguration configuration,
        string sectionName,
        Func<TOptions, IEnumerable<(string Setting, string Problem)>>? validate = null)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<IValidateOptions<TOptions>>(new SectionValidator<TOptions>(sectionName, validate));
        return services.AddOptions<TOptions>()
            .Bind(configuration.GetSection(sectionName))
            .ValidateOnStart();
    }

    /// <summary>
    /// Registers options already bound and validated by <see cref="BindNow"/> as <see cref="IOptions{TOptions}"/>, so a
    /// section read before the host is built is not bound a second time.
    /// </summary>
    public static IServiceCollection AddBoundOptions<TOptions>(this IServiceCollection services, TOptions bound)
        where TOptions : class
    {
        services.AddSingleton<IOptions<TOptions>>(Options.Create(bound));
        return services;
    }

    /// <summary>Binds and validates a section immediately (for settings needed before the host is built).</summary>
    /// <exception cref="OptionsValidationException">A setting is invalid; the message names it.</exception>
    public static TOptions BindNow<TOptions>(
        IConfiguration configuration,
        string sectionName,
        Func<TOptions, IEnumerable<(string Setting, string Problem)>>? validate = null)
        where TOptions : class, new()
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new TOptions();
        configuration.GetSection(sectionName).Bind(options);
        List<string> problems = Problems(sectionName, options, validate);
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(sectionName, typeof(TOptions), problems);
        }

        return options;
    }

    internal static List<string> Problems<TOptions>(
        string sectionName,
        TOptions options,
        Func<TOptions, IEnumerable<(string Setting, string Problem)>>? validate)
        where TOptions : class
    {
        var problems = new List<string>();
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            foreach (ValidationResult result in results)
            {
                string member = result.MemberNames.FirstOrDefault() ?? "?";
                problems.Add($"{sectionName}:{member}: {result.ErrorMessage}");
            }
        }

        if (validate is not null)
        {
            foreach ((string setting, string problem) in validate(options))
            {
                problems.Add($"{sectionName}:{setting}: {problem}");
            }
        }

        return problems;
    }

    private sealed class SectionValidator<TOptions>(
        string sectionName,
        Func<TOptions, IEnumerable<(string Setting, string Problem)>>? validate) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            List<string> problems = Problems(sectionName, options, validate);
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
