using BenchmarkDotNet.Attributes;
using Lookout.Expr;
using Lookout.Notifications.Scope;
using Lookout.Values;

namespace Lookout.Benchmarks.Expr;

/// <summary>
/// Evaluates the catalog's trigger conditions, compiled untyped as notifications-engine compiles them, over 1,000
/// different Applications (each decoded once, with Argo CD's helpers in scope). One operation is one evaluation.
/// </summary>
[MemoryDiagnoser]
public class TriggerConditionBenchmarks
{
    private ObjectMap[] envs = [];
    private ExprProgram program = null!;
    private int next;

    [Params("on-deleted", "on-deployed", "on-health-degraded", "on-sync-failed", "on-sync-running", "on-sync-status-unknown", "on-sync-succeeded", "any-resource-degraded")]
    public string Trigger { get; set; } = "on-deleted";

    [GlobalSetup]
    public void Setup()
    {
        var apps = (List<object?>)ObjectModel.FromJson(TriggerConditions.ApplicationsJson())!;
        envs = apps.Select(app => NotificationScope.ForTrigger(app)).ToArray();
        program = ExprProgram.Compile(TriggerConditions.All[Trigger]);
    }

    [Benchmark]
    public bool Evaluate()
    {
        ObjectMap env = envs[next];
        next = next == envs.Length - 1 ? 0 : next + 1;
        return program.RunBool(env);
    }
}

/// <summary>
/// One event's worth of work: all eight conditions on one Application, then the next Application (1,000 in turn),
/// as a notifier evaluates its triggers when an event arrives. One operation is one evaluation (eight per event).
/// </summary>
[MemoryDiagnoser]
public class TriggerCatalogPerEventBenchmarks
{
    private ObjectMap[] envs = [];
    private ExprProgram[] programs = [];
    private int next;

    [GlobalSetup]
    public void Setup()
    {
        var apps = (List<object?>)ObjectModel.FromJson(TriggerConditions.ApplicationsJson())!;
        envs = apps.Select(app => NotificationScope.ForTrigger(app)).ToArray();
        programs = TriggerConditions.All.Values.Select(text => ExprProgram.Compile(text)).ToArray();
    }

    [Benchmark(OperationsPerInvoke = 8)]
    public int EvaluateAll()
    {
        ObjectMap env = envs[next];
        next = next == envs.Length - 1 ? 0 : next + 1;
        int fired = 0;
        foreach (ExprProgram program in programs)
        {
            fired += program.RunBool(env) ? 1 : 0;
        }

        return fired;
    }
}
