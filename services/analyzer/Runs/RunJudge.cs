using Lookout.Analysis.Measurement;
using Lookout.Analysis.Runs;
using Lookout.Analysis.Templates;
using Lookout.Analysis.Verdicts;
using Lookout.Analyzer.Gate;
using Lookout.Contracts;
using Lookout.Values;

namespace Lookout.Analyzer.Runs;

/// <summary>A run to judge: which templates with which arguments, about which Rollout.</summary>
/// <param name="Id">The run's id (the verdict's id).</param>
/// <param name="Description">For logs and <c>/api/v1/runs</c>.</param>
/// <param name="Templates">The templates to run.</param>
/// <param name="Args">The run's arguments.</param>
/// <param name="Namespace">Where templates and Secrets are read from.</param>
/// <param name="Rollout">The Rollout, for <c>valueFrom.fieldRef</c> arguments; null when there is none.</param>
/// <param name="DryRun">The run's own dry-run rules (a Rollout's <c>analysis.dryRun</c>).</param>
public sealed record RunOrder(
    string Id,
    string Description,
    IReadOnlyList<TemplateRef> Templates,
    IReadOnlyList<Argument> Args,
    string Namespace,
    ObjectMap? Rollout,
    IReadOnlyList<DryRunRule>? DryRun = null);

/// <summary>What a finished run concluded.</summary>
/// <param name="Phase">The run's phase.</param>
/// <param name="Message">Why, when the run says (empty otherwise).</param>
/// <param name="Metrics">Each metric's outcome.</param>
/// <param name="Terminated">True when the run was told to stop before it ended on its own (Argo's <c>terminate</c>).</param>
public sealed record Judgement(AnalysisPhase Phase, string Message, IReadOnlyList<MetricOutcome> Metrics, bool Terminated)
{
    /// <summary>The vote the phase stands for.</summary>
    public Verdict Verdict => VerdictRules.For(Phase);

    /// <summary>The verdict's reason: the run's message, or its phase.</summary>
    public string Reason => Message.Length > 0 ? Message : $"analysis {Phase}";
}

/// <summary>Lets the owner of a run terminate it as Argo does (<c>spec.terminate</c>): it ends at once with the phase so far.</summary>
public sealed class RunHandle : IDisposable
{
    private readonly CancellationTokenSource wake = new();
    private readonly Lock gate = new();
    private AnalysisRun? run;
    private bool terminated;

    /// <summary>True once <see cref="Terminate"/> was called.</summary>
    public bool Terminated
    {
        get
        {
            lock (gate)
            {
                return terminated;
            }
        }
    }

    internal CancellationToken Wake => wake.Token;

    /// <summary>Asks the run to stop and be assessed now.</summary>
    public void Terminate()
    {
        lock (gate)
        {
            terminated = true;
            run?.RequestTermination();
        }

        wake.Cancel();
    }

    internal void Attach(AnalysisRun attached)
    {
        lock (gate)
        {
            run = attached;
            if (terminated)
            {
                attached.RequestTermination();
            }
        }
    }

    public void Dispose() => wake.Dispose();
}

/// <summary>
/// Runs one order to its end, the part every mode shares: reads and resolves the templates, runs the metrics on the
/// runner's clock, keeps the run in the registry for <c>/api/v1/runs</c>. A run that cannot start (a missing
/// template, an argument that cannot be resolved) is an Error, as in Argo.
/// </summary>
public sealed class RunJudge(RunFactory factory, AnalysisRunner runner, RunRegistry registry)
{
    /// <summary>Judges an order; throws <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> stops it.</summary>
    public async Task<Judgement> JudgeAsync(RunOrder order, RunHandle? handle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        AnalysisRun run;
        try
        {
            run = await factory.CreateAsync(order.Id, order.Description, order.Templates, order.Args, order.Namespace, order.Rollout, cancellationToken, order.DryRun).ConfigureAwait(false);
        }
        catch (TemplateException ex)
        {
            return new Judgement(AnalysisPhase.Error, ex.Message, [], false);
        }

        handle?.Attach(run);
        registry.Started(run);
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, handle?.Wake ?? CancellationToken.None);
            RunSnapshot result;
            try
            {
                result = await runner.RunAsync(run, null, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && handle is { Terminated: true })
            {
                // Woken to terminate: a terminated run is assessed at once (a reconciliation or two, no measurement due).
                for (int i = 0; i < 3 && !run.Phase.IsCompleted(); i++)
                {
                    await runner.ReconcileAsync(run, null, cancellationToken).ConfigureAwait(false);
                }

                result = run.Snapshot();
            }

            return new Judgement(result.Phase, result.Message, VerdictRules.Outcomes(result), run.Terminate);
        }
        finally
        {
            registry.Finished(run);
        }
    }
}
