using System;
using System.IO;
using Spectre.Console;

namespace FlatRacoon.Cli;

/// <summary>
/// Where a command's output goes and how it may look: on an interactive terminal, colour, tables
/// and live progress (Spectre.Console); when output is redirected (a file, a pipe, CI), plain
/// text with no escape codes. <c>NO_COLOR</c> turns colour off; <c>FLATRACOON_INTERACTIVE=1</c>
/// forces the terminal experience (used under a pseudo-terminal whose size is unknown).
/// </summary>
public sealed class Terminal
{
    private Terminal(TextWriter output, bool interactive, bool colour)
    {
        Output = output;
        Interactive = interactive;
        Colour = colour;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = colour || interactive ? AnsiSupport.Yes : AnsiSupport.No,
            ColorSystem = colour ? ColorSystemSupport.Standard : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        if (!interactive)
        {
            // Redirected output is read by tools and people alike: never wrap a line.
            Console.Profile.Width = 1000;
        }
    }

    /// <summary>The writer everything goes to.</summary>
    public TextWriter Output { get; }
    /// <summary>Whether live progress may redraw lines (an interactive terminal).</summary>
    public bool Interactive { get; }
    /// <summary>Whether output may carry colour.</summary>
    public bool Colour { get; }
    /// <summary>The Spectre.Console console writing to <see cref="Output"/>.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>Plain text to <paramref name="output"/>: no colour, no redrawing.</summary>
    public static Terminal Plain(TextWriter output) => new(output, interactive: false, colour: false);

    /// <summary>An interactive, coloured terminal writing to <paramref name="output"/> (tests, or a known terminal).</summary>
    public static Terminal Rich(TextWriter output) => new(output, interactive: true, colour: true);

    /// <summary>The terminal behind the process's standard output: rich when it is a terminal, plain when redirected.</summary>
    public static Terminal ForConsole(TextWriter output)
    {
        var forced = System.Environment.GetEnvironmentVariable("FLATRACOON_INTERACTIVE") == "1";
        var isTerminal = forced || (!System.Console.IsOutputRedirected && System.Environment.GetEnvironmentVariable("TERM") != "dumb");
        if (!isTerminal)
        {
            return Plain(output);
        }
        var colour = string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable("NO_COLOR"));
        var terminal = new Terminal(output, interactive: true, colour: colour);
        // A terminal that does not report its size (a pseudo-terminal, a serial console) may say it with COLUMNS.
        if (int.TryParse(System.Environment.GetEnvironmentVariable("COLUMNS"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var columns) && columns >= 20)
        {
            terminal.Console.Profile.Width = columns;
        }
        return terminal;
    }
}

/// <summary>Passes on only the events <c>keep</c> accepts (a command that shows some steps another way, such as a table).</summary>
internal sealed class FilteringNarrator : FlatRacoon.Narration.INarrator
{
    private readonly FlatRacoon.Narration.INarrator _inner;
    private readonly Func<FlatRacoon.Narration.NarrationEvent, bool> _keep;

    public FilteringNarrator(FlatRacoon.Narration.INarrator inner, Func<FlatRacoon.Narration.NarrationEvent, bool> keep)
    {
        _inner = inner;
        _keep = keep;
    }

    public void Narrate(FlatRacoon.Narration.NarrationEvent e)
    {
        if (_keep(e))
        {
            _inner.Narrate(e);
        }
    }
}
