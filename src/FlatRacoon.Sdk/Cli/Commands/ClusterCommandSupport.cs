using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading.Tasks;
using FlatRacoon.Deployment;
using FlatRacoon.Rendering;
using static FlatRacoon.StackProgram;

namespace FlatRacoon.Cli.Commands;

/// <summary>What the cluster commands share: connection options, the engine, errors.</summary>
internal static class ClusterCommandSupport
{
    public static readonly CommandOption Kubeconfig = CommandOption.ExistingFile("--kubeconfig", "file", "kubeconfig file (default: every file of $KUBECONFIG merged, else ~/.kube/config, else in-cluster)");
    public static readonly CommandOption Context = new("--context", "name", "kubeconfig context (default: the current one)", Check: v => v.Length == 0 ? "needs a context name, not an empty value" : null);
    public static readonly CommandOption ForceConflicts = new("--force-conflicts", null, "take over fields other field managers own");
    public static readonly CommandOption Atomic = new("--atomic", null, "roll back by itself when a wave fails readiness or times out");
    public static readonly CommandOption Timeout = CommandOption.PositiveNumber("--timeout", "seconds", "time each wave may take to become ready (default 300)");
    public static readonly CommandOption Parallelism = CommandOption.PositiveNumber("--parallelism", "n", "objects of a wave applied at once (default 32)");
    public static readonly CommandOption PollInterval = CommandOption.PositiveNumber("--poll-interval", "ms", "time between readiness checks (default 2000)");
    public static readonly CommandOption HistoryMax = CommandOption.PositiveNumber("--history-max", "n", "revisions kept in the cluster (default 10)");

    public static DeployOptions Options(CommandContext context)
    {
        var options = new DeployOptions
        {
            ForceConflicts = context.Arguments.Flag(ForceConflicts.Name),
            Atomic = context.Arguments.Flag(Atomic.Name),
            SecretResolver = context.Options.SecretResolver,
        };
        if (Number(context, Timeout.Name) is { } seconds)
        {
            options = options with { WaveTimeout = TimeSpan.FromSeconds(seconds) };
        }
        if (Number(context, Parallelism.Name) is { } parallelism)
        {
            options = options with { Parallelism = parallelism };
        }
        if (Number(context, PollInterval.Name) is { } ms)
        {
            options = options with { PollInterval = TimeSpan.FromMilliseconds(ms) };
        }
        if (Number(context, HistoryMax.Name) is { } keep)
        {
            options = options with { HistoryMax = keep };
        }
        return options;
    }

    public static int? Number(CommandContext context, string option)
    {
        var text = context.Arguments.Value(option);
        if (text is null)
        {
            return null;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new UsageException($"{option} takes a positive whole number, not '{text}'.");
    }

    /// <summary>Connects, runs <paramref name="body"/>, and turns the engine's errors into a message and exit code 1.</summary>
    public static async Task<int> RunAsync(CommandContext context, Func<Deployer, Task<int>> body, FlatRacoon.Narration.INarrator? narrator = null)
    {
        KubeApiClient api;
        DeployOptions options;
        try
        {
            options = Options(context);
        }
        catch (UsageException e)
        {
            context.Error.WriteLine($"error: {e.Message}");
            return Usage;
        }
        try
        {
            api = KubeconfigResolver.Connect(context.Arguments.Value(Kubeconfig.Name), context.Arguments.Value(Context.Name));
        }
        catch (KubeconfigException e)
        {
            context.Error.WriteLine($"error: {e.Message}");
            return Failed;
        }
        using (api)
        {
            try
            {
                return await body(new Deployer(api, narrator ?? context.Narrator, options)).ConfigureAwait(false);
            }
            catch (DeploymentException e)
            {
                context.Error.WriteLine($"error: {e.Message}");
                return Failed;
            }
            catch (KubeApiException e)
            {
                context.Error.WriteLine($"error: {e.Message}");
                return Failed;
            }
            catch (FlatRacoon.Secrets.SecretResolutionException e)
            {
                // plan resolves references too (its dry-run needs the values); the message names the reference only.
                context.Error.WriteLine($"error: {e.Message} Nothing was written.");
                return Failed;
            }
        }
    }

    /// <summary>The stack rendered with the program's renderers and transforms, ready for the engine.</summary>
    public static DeploymentSet Render(CommandContext context) => DeploymentSet.From(context.Render());

    public static IReadOnlyList<CommandOption> Connection => new[] { Kubeconfig, Context };
}
