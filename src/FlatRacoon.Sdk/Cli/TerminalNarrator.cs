using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading;
using FlatRacoon.Narration;
using Spectre.Console;

namespace FlatRacoon.Cli;

/// <summary>
/// Narration for a person at an interactive terminal: apply, rollback and destroy show one live
/// line for the wave in progress (objects applied or deleted, workloads ready, elapsed time, the
/// object waited for longest: to become ready, or to be gone), which becomes a permanent line when
/// the wave ends; the stream of "waiting for ..." lines is folded into it. Everything else is printed in colour.
/// </summary>
internal sealed class TerminalNarrator : INarrator, IDisposable
{
    private readonly Terminal _terminal;
    private readonly object _gate = new();
    private readonly Timer _tick;
    private WaveProgress? _wave;
    private bool _liveLineShown;

    public TerminalNarrator(Terminal terminal)
    {
        _terminal = terminal;
        // Elapsed time keeps moving while nothing is narrated (a long readiness wait).
        _tick = new Timer(_ => Redraw(), null, TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500));
    }

    public void Narrate(NarrationEvent e)
    {
        lock (_gate)
        {
            switch (e.Step)
            {
                case "apply.wave":
                    FinishWave();
                    _wave = new WaveProgress(Label(e.Message), Int(e, "objects"));
                    DrawLive();
                    return;
                case "destroy.start":
                    FinishWave();
                    Line($"[bold]{Markup.Escape(e.Message)}[/]");
                    return;
                case "destroy.wave":
                    FinishWave();
                    _wave = new WaveProgress(Label(e.Message), Int(e, "objects"), deleting: true);
                    DrawLive();
                    return;
                case "apply.object" when _wave is not null:
                    _wave.Applied++;
                    DrawLive();
                    return;
                case "delete.object" or "delete.gone" or "delete.skipped" when _wave is { Deleting: true } && _wave.Applied < _wave.Objects:
                    _wave.Deleted(Text(e, "object"), accepted: e.Step == "delete.object");
                    DrawLive();
                    return;
                case "wait.deleted" when _wave is { Deleting: true }:
                    // A destroy wave waits for its objects to be gone: the slowest is the one gone last.
                    _wave.Gone(Text(e, "object"));
                    DrawLive();
                    return;
                case "wait.object" when _wave is not null:
                    _wave.Waiting(Text(e, "object"));
                    DrawLive();
                    return;
                case "wait.ready" when _wave is not null:
                    _wave.Ready(Text(e, "object"));
                    DrawLive();
                    return;
                case "wait.health" when _wave is not null:
                    DrawLive();
                    return;
                case "wait.wave":
                    FinishWave();
                    return;
                case "apply.failed" or "rollback.start":
                    FinishWave(failed: e.Step == "apply.failed");
                    Line($"[red]{Markup.Escape(e.Message)}[/]");
                    return;
                case "apply.done" or "rollback.done" or "destroy.done" or "revision.recorded" or "apply.unchanged":
                    FinishWave();
                    Line($"[green]{Markup.Escape(e.Message)}[/]");
                    return;
                case "apply.conflict":
                    Line($"[yellow]{Markup.Escape(e.Message)}[/]");
                    return;
                case "validate.issue":
                    var error = e.Data is not null && e.Data.TryGetValue("severity", out var s) && s as string == "error";
                    Line($"[{(error ? "red" : "yellow")}]{Markup.Escape(e.Message)}[/]");
                    return;
                default:
                    FinishWave();
                    Line(Markup.Escape(e.Message));
                    return;
            }
        }
    }

    public void Dispose()
    {
        _tick.Dispose();
        lock (_gate)
        {
            FinishWave();
        }
    }

    private void Redraw()
    {
        lock (_gate)
        {
            if (_wave is not null)
            {
                DrawLive();
            }
        }
    }

    private void Line(string markup)
    {
        ClearLive();
        _terminal.Console.MarkupLine(markup);
    }

    private void DrawLive()
    {
        if (_wave is null)
        {
            return;
        }
        ClearLive();
        // The live line must fit on one row, or erasing it would leave the wrapped part behind.
        var text = "… " + _wave.Describe();
        var width = Math.Max(20, _terminal.Console.Profile.Width - 1);
        if (text.Length > width)
        {
            text = text[..(width - 1)] + "…";
        }
        _terminal.Console.Markup($"[blue]{Markup.Escape(text[..1])}[/]{Markup.Escape(text[1..])}");
        _terminal.Output.Flush();
        _liveLineShown = true;
    }

    private void ClearLive()
    {
        if (_liveLineShown)
        {
            // Carriage return and erase the line: the live line is redrawn in place.
            _terminal.Output.Write("\r\u001b[2K");
            _liveLineShown = false;
        }
    }

    private void FinishWave(bool failed = false)
    {
        if (_wave is null)
        {
            return;
        }
        var wave = _wave;
        _wave = null;
        Line(failed ? $"[red]✗[/] {Markup.Escape(wave.Describe())}" : $"[green]✓[/] {Markup.Escape(wave.Describe())}");
    }

    private static string Label(string message)
    {
        var colon = message.IndexOf(':');
        return colon < 0 ? message : message[..colon];
    }

    private static int Int(NarrationEvent e, string key) =>
        e.Data is not null && e.Data.TryGetValue(key, out var value) && value is not null
            ? Convert.ToInt32(value, CultureInfo.InvariantCulture)
            : 0;

    private static string Text(NarrationEvent e, string key) =>
        e.Data is not null && e.Data.TryGetValue(key, out var value) && value is string s ? s : "";

    private sealed class WaveProgress
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private readonly Dictionary<string, TimeSpan> _waitingSince = new(StringComparer.Ordinal);
        private readonly Dictionary<string, TimeSpan> _waited = new(StringComparer.Ordinal);
        private readonly Dictionary<string, TimeSpan> _deletedAt = new(StringComparer.Ordinal);

        public WaveProgress(string label, int objects, bool deleting = false)
        {
            LabelText = label;
            Objects = objects;
            Deleting = deleting;
        }

        public string LabelText { get; }
        public bool Deleting { get; }
        public int Objects { get; }
        public int Applied { get; set; }
        public int ReadyCount { get; private set; }

        public void Waiting(string obj)
        {
            if (obj.Length > 0 && !_waitingSince.ContainsKey(obj))
            {
                // A deleted object is waited for from its deletion on.
                _waitingSince[obj] = _deletedAt.TryGetValue(obj, out var deleted) ? deleted : _watch.Elapsed;
            }
        }

        public void Ready(string obj)
        {
            ReadyCount++;
            if (_waitingSince.Remove(obj, out var since))
            {
                _waited[obj] = _watch.Elapsed - since;
            }
        }

        public void Deleted(string obj, bool accepted)
        {
            Applied++;
            if (accepted && obj.Length > 0)
            {
                _deletedAt[obj] = _watch.Elapsed;
            }
        }

        public void Gone(string obj)
        {
            if (_waitingSince.Remove(obj, out var since))
            {
                _waited[obj] = _watch.Elapsed - since;
            }
        }

        public string Describe()
        {
            var parts = new List<string> { $"{LabelText}: {Applied}/{Objects} {(Objects == 1 ? "object" : "objects")}{(Deleting ? " deleted" : "")}" };
            if (!Deleting && (ReadyCount > 0 || _waitingSince.Count > 0))
            {
                parts.Add($"{ReadyCount} ready");
            }
            parts.Add(Seconds(_watch.Elapsed));
            // The slowest: still waited for the longest, else the one that took longest.
            var slowest = _waitingSince.Count > 0
                ? _waitingSince.OrderBy(w => w.Value).Select(w => (w.Key, Time: _watch.Elapsed - w.Value, Still: true)).First()
                : _waited.Count > 0 ? _waited.OrderByDescending(w => w.Value).ThenBy(w => w.Key, StringComparer.Ordinal).Select(w => (w.Key, Time: w.Value, Still: false)).First()
                : default;
            if (slowest.Key is not null)
            {
                parts.Add($"{(slowest.Still ? "waiting for" : "slowest")} {slowest.Key} ({Seconds(slowest.Time)})");
            }
            return string.Join(", ", parts);
        }

        private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
    }
}
