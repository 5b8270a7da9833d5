namespace Lookout.Notifier;

/// <summary>PLACEHOLDER: replaced by the backbone work.</summary>
public static class NotifierHost
{
    public static Task<int> RunAsync(string[] args) => throw new NotImplementedException();
}
