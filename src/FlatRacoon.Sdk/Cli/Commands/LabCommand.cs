using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;
using FlatRacoon.Modules.BgpBackboneLab;
using FlatRacoon.Narration;
using FlatRacoon.Rendering;
using static FlatRacoon.StackProgram;

namespace FlatRacoon.Cli.Commands;

/// <summary>
/// <c>lab bgp</c>: runs the stack's bgp-backbone-lab topology live in network namespaces with
/// BIRD, and checks every router's routes against the table the policies predict (or a reviewed
/// table given with <c>--expected</c>). Always tears the lab down.
/// </summary>
public sealed class LabCommand : IStackCommand
{
    /// <inheritdoc />
    public string Name => "lab";
    /// <inheritdoc />
    public string Summary => "Run a lab live on this machine (bgp: the BGP backbone in network namespaces with BIRD).";
    /// <inheritdoc />
    public IReadOnlyList<string> Positionals { get; } = new[] { "topology" };
    /// <inheritdoc />
    public IReadOnlyList<CommandOption> Options { get; } = new[]
    {
        CommandOption.ExistingFile("--expected", "file", "compare with this expected-routes.json instead of the one the policies give"),
        CommandOption.PositiveNumber("--settle", "seconds", "how long routes may take to match once sessions are up (default 10)"),
    };
    /// <inheritdoc />
    public bool NeedsValidStack => true;

    /// <inheritdoc />
    public async Task<int> RunAsync(CommandContext context)
    {
        var topologyName = context.Arguments.Positionals[0];
        if (topologyName != "bgp")
        {
            context.Error.WriteLine($"error: unknown lab '{topologyName}'; the labs are: bgp.");
            return Usage;
        }
        var module = context.Stack.Module(BgpTopology.ModuleName);
        if (module is null)
        {
            context.Error.WriteLine($"error: the stack has no {BgpTopology.ModuleName} module, so there is no topology to run.");
            return Failed;
        }
        BgpTopology topology;
        BgpExpectedRoutes expected;
        try
        {
            topology = BgpTopology.FromConfig(ConfigJson.ToElement(module.Config));
            var expectedFile = context.Arguments.Value("--expected");
            expected = expectedFile is null ? BgpExpectedRoutes.Derive(topology) : BgpExpectedRoutes.FromJson(await File.ReadAllTextAsync(expectedFile, context.Cancellation));
        }
        catch (Exception e) when (e is BgpTopologyException or IOException or System.Text.Json.JsonException)
        {
            context.Error.WriteLine($"error: {e.Message}");
            return Failed;
        }
        var settle = 10;
        if (context.Arguments.Value("--settle") is { } s && (!int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out settle) || settle < 1))
        {
            context.Error.WriteLine("error: --settle takes a whole number of seconds.");
            return Usage;
        }

        var lab = new BgpLab(context.Narrator) { SettleTimeout = TimeSpan.FromSeconds(settle) };
        try
        {
            var result = await lab.RunAsync(topology, expected, context.Cancellation).ConfigureAwait(false);
            return result.Passed ? Ok : Failed;
        }
        catch (InvalidOperationException e)
        {
            context.Narrator.Narrate(new NarrationEvent("lab.error", $"The lab could not run: {e.Message} (it needs root, iproute2 and bird2)."));
            return Failed;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            context.Narrator.Narrate(new NarrationEvent("lab.error", $"The lab could not run: {e.Message} (install iproute2 and bird2)."));
            return Failed;
        }
    }
}
