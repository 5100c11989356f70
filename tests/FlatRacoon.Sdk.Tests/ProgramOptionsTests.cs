using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using FlatRacoon.Cli;
using Xunit;

namespace FlatRacoon.Sdk.Tests;

/// <summary>StackProgram.RunAsync(args, declare, options): environments and extra commands.</summary>
public class ProgramOptionsTests
{
    /// <summary>A team's command: counts the modules of the declared stack, with an option of its own.</summary>
    private sealed class CountCommand : IStackCommand
    {
        public string Name => "count";
        public string Summary => "Count the modules.";
        public IReadOnlyList<string> Positionals { get; } = Array.Empty<string>();
        public IReadOnlyList<CommandOption> Options { get; } = new[] { CommandOption.PositiveNumber("--at-least", "n", "fail below this many") };
        public bool NeedsValidStack => true;

        public Task<int> RunAsync(CommandContext context)
        {
            var count = context.Stack.Modules.Length;
            context.Output.WriteLine($"{count} modules in {context.Environment.Name}, {context.Render().Objects.Length} objects");
            var atLeast = context.Arguments.Value("--at-least") is { } text ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : 0;
            return Task.FromResult(count >= atLeast ? StackProgram.Ok : StackProgram.Failed);
        }
    }

    private static readonly StackEnvironment Lab = new("team-lab", ipv6Only: false);

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var declaredFor = new List<string>();
        var code = await StackProgram.RunAsync(args, env =>
        {
            declaredFor.Add(env.Name);
            return TestModules.ThreeWaveStack(env);
        }, options => options.AddEnvironment(Lab).AddCommand(new CountCommand()), stdout, stderr);
        Assert.True(declaredFor.Count <= 1);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task An_added_command_runs_for_the_chosen_environment_with_its_own_options()
    {
        var (code, stdout, stderr) = await Run("count", "--environment", "team-lab", "--at-least=2");
        Assert.True(code == 0, stderr);
        Assert.StartsWith("4 modules in team-lab, ", stdout);

        var (failed, _, _) = await Run("count", "--environment", "team-lab", "--at-least", "9");
        Assert.Equal(StackProgram.Failed, failed);

        var (usage, _, err) = await Run("count", "--environment", "team-lab", "--at-least", "many");
        Assert.Equal(StackProgram.Usage, usage);
        Assert.StartsWith("error: --at-least takes a whole number from 1 up, not 'many'.", err);

        var (helpCode, help, _) = await Run("count", "--help");
        Assert.Equal(0, helpCode);
        Assert.Contains("--at-least <n>", help);
    }

    [Fact]
    public async Task An_unknown_environment_lists_the_known_ones_and_exits_2()
    {
        var (code, stdout, stderr) = await Run("validate", "--environment", "moon");
        Assert.Equal(StackProgram.Usage, code);
        Assert.Equal("", stdout);
        var first = stderr.Split('\n')[0];
        Assert.StartsWith("error: unknown environment 'moon'; the known ones are: ", first);
        Assert.Contains("team-lab", first);
    }

    [Fact]
    public void A_command_cannot_take_a_built_in_name()
    {
        var options = new StackProgramOptions();
        Assert.Throws<ArgumentException>(() => options.AddCommand(new RenamedRender()));
    }

    private sealed class RenamedRender : IStackCommand
    {
        public string Name => "render";
        public string Summary => "";
        public IReadOnlyList<string> Positionals { get; } = Array.Empty<string>();
        public IReadOnlyList<CommandOption> Options { get; } = Array.Empty<CommandOption>();
        public bool NeedsValidStack => false;
        public Task<int> RunAsync(CommandContext context) => Task.FromResult(0);
    }
}
