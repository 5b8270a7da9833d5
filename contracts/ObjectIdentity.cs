namespace Lookout.Contracts;

/// <summary>Which Kubernetes object an event is about.</summary>
/// <param name="Cluster">The cluster name the watcher was configured with (for example <c>in-cluster</c>).</param>
/// <param name="Namespace">The object's namespace.</param>
/// <param name="Name">The object's name.</param>
/// <param name="Uid">The object's <c>metadata.uid</c>; a re-created object with the same name has a new uid.</param>
public sealed record ObjectIdentity(string Cluster, string Namespace, string Name, string Uid);
