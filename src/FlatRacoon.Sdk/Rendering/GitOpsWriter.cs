using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.IO.Enumeration;
using System.Text;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Win32.SafeHandles;

namespace FlatRacoon.Rendering;

/// <summary>What <see cref="GitOpsWriter.Write"/> did.</summary>
/// <param name="Directory">The output directory (full path).</param>
/// <param name="Written">Files created or changed.</param>
/// <param name="Unchanged">Files already holding the same bytes (left untouched).</param>
/// <param name="Deleted">Files of an earlier render that the new one no longer has.</param>
public sealed record WriteResult(string Directory, IReadOnlyList<string> Written, IReadOnlyList<string> Unchanged, IReadOnlyList<string> Deleted);

/// <summary>The output directory holds files that FlatRacoon did not write.</summary>
public sealed class RenderOutputException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RenderOutputException(string message) : base(message) { }
}

/// <summary>
/// Writes a <see cref="ManifestSet"/> as a GitOps directory: one multi-document YAML file per
/// module, <c>&lt;module&gt;.yaml</c>, holding its objects in apply order separated by
/// <c>---</c>; the stack-wide objects in <c>_stack.yaml</c>; a module's text artifacts in its
/// folder <c>&lt;module&gt;/</c>; a <c>kustomization.yaml</c> listing the YAML files in wave order.
/// UTF-8 without BOM, '\n' line ends, no timestamps: rendering twice gives identical bytes. Files of
/// an earlier render that are gone from the stack are deleted; a directory FlatRacoon did not write
/// is never touched.
/// </summary>
public static class GitOpsWriter
{
    /// <summary>Marker file that says FlatRacoon owns the directory.</summary>
    public const string MarkerFile = ".flatracoon-render";

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
    private static readonly byte[] DocumentSeparator = "---\n"u8.ToArray();

    /// <summary>The files of <paramref name="set"/>: relative path → content, in a stable order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Files(ManifestSet set)
    {
        var plan = FilePlan.Of(set);
        var buffer = new YamlBuffer();
        var files = new List<KeyValuePair<string, string>>(plan.Count);
        for (var i = 0; i < plan.Count; i++)
        {
            buffer.Length = 0;
            plan.Write(i, buffer);
            files.Add(new KeyValuePair<string, string>(plan.Paths[i], Utf8NoBom.GetString(buffer.Span)));
        }
        return files;
    }

    /// <summary>One object as a YAML document.</summary>
    public static string ToYaml(RenderedObject obj) => Utf8NoBom.GetString(ModelYaml.ToUtf8(obj.Object, new YamlBuffer()));

    /// <summary>
    /// The files of <paramref name="set"/> as UTF-8 bytes, in a stable order, made on all cores; each
    /// file's bytes depend on its own objects alone, so the result is the same on any number of cores.
    /// </summary>
    internal static List<(string Path, byte[] Content)> Utf8Files(ManifestSet set)
    {
        var plan = FilePlan.Of(set);
        var contents = new byte[plan.Count][];
        Parallel.For(0, plan.Count, () => new YamlBuffer(), (i, _, buffer) =>
        {
            buffer.Length = 0;
            plan.Write(i, buffer);
            contents[i] = buffer.ToArray();
            return buffer;
        }, _ => { });
        return plan.Paths.Select((path, i) => (path, contents[i])).ToList();
    }

    /// <summary>
    /// Writes the set into <paramref name="directory"/>. Refuses a non-empty directory without the
    /// marker file unless <paramref name="force"/>. A file that already holds the same bytes is not
    /// rewritten (its modification time stays), so a render that changes nothing writes nothing.
    /// </summary>
    public static WriteResult Write(ManifestSet set, string directory, bool force = false) =>
        WriteFiles(FilePlan.Of(set), directory, force);

    /// <summary>
    /// Writes the files of <paramref name="plan"/>. Each file is serialized and written by one of a
    /// few workers (one per core, at most 4) straight from that worker's buffer: no file's bytes are
    /// kept after it is written, and serialization overlaps the file system's waits.
    /// </summary>
    internal static WriteResult WriteFiles(FilePlan plan, string directory, bool force)
    {
        var root = Path.GetFullPath(directory);
        // Only a directory FlatRacoon rendered before (or an empty one) is ours to prune.
        var exists = Directory.Exists(root);
        var owned = !exists || File.Exists(Path.Combine(root, MarkerFile)) || !Directory.EnumerateFileSystemEntries(root).Any();
        if (!owned && !force)
        {
            throw new RenderOutputException(
                $"Refusing to write into '{root}': it is not empty and FlatRacoon did not render it (no {MarkerFile}). Choose an empty directory, or pass --force.");
        }

        // What is there already, by relative path ('/' separated) with its length: one directory walk
        // instead of a stat (and a read) per file.
        var existing = new Dictionary<string, long>(StringComparer.Ordinal);
        var existingFolders = new HashSet<string>(StringComparer.Ordinal);
        if (exists)
        {
            var prefix = root.Length + 1;
            foreach (var (path, length, isDirectory) in new FileSystemEnumerable<(string, long, bool)>(root,
                (ref FileSystemEntry e) => (e.ToFullPath()[prefix..].Replace(Path.DirectorySeparatorChar, '/'), e.Length, e.IsDirectory),
                new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false }))
            {
                if (isDirectory)
                {
                    existingFolders.Add(path);
                }
                else
                {
                    existing[path] = length;
                }
            }
        }

        // Folders first (the root and the artifact folders: a few), then the files in any order.
        if (!exists)
        {
            Directory.CreateDirectory(root);
        }
        foreach (var folder in plan.Folders)
        {
            if (!existingFolders.Contains(folder))
            {
                Directory.CreateDirectory(Path.Combine(root, folder));
            }
        }
        var changed = new bool[plan.Count];
        RunWorkers(plan.Count, () => new YamlBuffer(64 * 1024), (i, buffer) =>
        {
            buffer.Length = 0;
            plan.Write(i, buffer);
            var relative = plan.Paths[i];
            var path = Path.Combine(root, relative);
            var isThere = existing.TryGetValue(relative, out var length);
            if (isThere && length == buffer.Length && SameBytes(path, buffer.Span))
            {
                return;
            }
            WriteFile(path, buffer.Span, isThere);
            changed[i] = true;
        });
        var written = new List<string>();
        var unchanged = new List<string>();
        for (var i = 0; i < plan.Count; i++)
        {
            (changed[i] ? written : unchanged).Add(plan.Paths[i]);
        }

        var deleted = new List<string>();
        if (owned && exists)
        {
            var wanted = new HashSet<string>(plan.Paths, StringComparer.Ordinal);
            foreach (var relative in existing.Keys.Where(p => !wanted.Contains(p)).OrderBy(p => p, StringComparer.Ordinal))
            {
                File.Delete(Path.Combine(root, relative));
                deleted.Add(relative);
            }
            if (deleted.Count > 0)
            {
                foreach (var dir in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length).ToList())
                {
                    if (!Directory.EnumerateFileSystemEntries(dir).Any())
                    {
                        Directory.Delete(dir);
                    }
                }
            }
        }
        return new WriteResult(root, written, unchanged, deleted);
    }

    /// <summary>
    /// Number of concurrent workers. Measured on a shared 2-core machine: 16 or 64 writers spent far
    /// more kernel time (contention on the file system) than 1 to 4 and finished later; one per core, at most 4.
    /// </summary>
    internal static int Writers { get; set; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    private static void RunWorkers<TState>(int count, Func<TState> state, Action<int, TState> work)
    {
        if (count == 0)
        {
            return;
        }
        var next = -1;
        Exception? failure = null;
        void Loop()
        {
            var local = state();
            int k;
            while (Volatile.Read(ref failure) is null && (k = Interlocked.Increment(ref next)) < count)
            {
                try
                {
                    work(k, local);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, e, null);
                }
            }
        }
        var threads = Enumerable.Range(0, Math.Min(Writers, count) - 1)
            .Select(_ => new Thread(Loop, 256 * 1024) { IsBackground = true, Name = "flatracoon-writer" })
            .ToList();
        threads.ForEach(t => t.Start());
        Loop();
        threads.ForEach(t => t.Join());
        if (failure is not null)
        {
            ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    // Every system call counts at 10,000s of files. File.WriteAllBytes preallocates; FileMode.Create
    // truncates with a call of its own; FileShare.None takes (and releases) an advisory lock. A file the
    // walk did not find is created exclusively (no truncation); no lock is taken for writing.
    private static void WriteFile(string path, ReadOnlySpan<byte> bytes, bool replace)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, replace ? FileMode.Create : FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite);
        }
        catch (IOException) when (!replace && File.Exists(path))
        {
            // Made since the walk (not by FlatRacoon): replace it like any other file.
            handle = File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite);
        }
        using (handle)
        {
            RandomAccess.Write(handle, bytes, 0);
        }
    }

    private static bool SameBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var rented = ArrayPool<byte>.Shared.Rent(bytes.Length + 1);
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var total = 0;
            int read;
            // One byte more than expected: a file that grew since the walk is not the same.
            while (total < rented.Length && (read = RandomAccess.Read(handle, rented.AsSpan(total), total)) > 0)
            {
                total += read;
            }
            return rented.AsSpan(0, total).SequenceEqual(bytes);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The files of a set, in a stable order: the marker, <c>kustomization.yaml</c>, one YAML file per
    /// <see cref="RenderedObject.RelativePath"/> (the stack's first, then the modules' in wave order,
    /// each holding its objects in the set's order), then the artifacts. Contents are made on demand by
    /// <see cref="Write"/>, so a writer never holds more than the file it is writing.
    /// </summary>
    internal sealed class FilePlan
    {
        private readonly ManifestSet _set;
        private readonly int[][] _objectsOf; // by YAML file, in order: indexes into the set's objects
        private readonly byte[] _marker;
        private readonly byte[] _kustomization;

        private FilePlan(ManifestSet set)
        {
            _set = set;
            var objects = set.Objects;
            // Group by file, keeping the set's order inside each file.
            var byPath = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            var order = new List<(string Path, int Key)>();
            for (var i = 0; i < objects.Length; i++)
            {
                var path = objects[i].RelativePath;
                if (!byPath.TryGetValue(path, out var members))
                {
                    byPath[path] = members = new List<int>();
                    order.Add((path, int.MaxValue));
                }
                members.Add(i);
            }
            // A module file takes the place of its first object past wave 0 (its namespace is in wave 0,
            // but the module's wave decides where it is listed); a file with wave-0 objects only keeps its first.
            var keyed = order.Select(f =>
            {
                var members = byPath[f.Path];
                var key = members.FirstOrDefault(i => objects[i].Wave > 0, -1);
                return (f.Path, Key: key < 0 ? members[0] : key);
            }).ToList();
            keyed.Sort((a, b) => a.Key.CompareTo(b.Key));

            var paths = new List<string>(keyed.Count + set.Artifacts.Length + 2) { MarkerFile, "kustomization.yaml" };
            paths.AddRange(keyed.Select(f => f.Path));
            paths.AddRange(set.Artifacts.Select(a => a.RelativePath));
            _objectsOf = keyed.Select(f => byPath[f.Path].ToArray()).ToArray();
            Paths = paths;
            _marker = Utf8NoBom.GetBytes($"# This directory is rendered by FlatRacoon from stack '{set.Stack.Name}'. Do not edit; render again.\n");
            _kustomization = Utf8NoBom.GetBytes(Kustomization(set, keyed.Select(f => f.Path)));

            var unique = new HashSet<string>(paths.Count, StringComparer.Ordinal);
            var folders = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var path in paths)
            {
                if (!unique.Add(path))
                {
                    throw new InvalidOperationException($"Two rendered files share the path '{path}'.");
                }
                var slash = path.LastIndexOf('/');
                if (slash > 0)
                {
                    folders.Add(path[..slash]);
                }
            }
            Folders = folders.ToArray();
        }

        public static FilePlan Of(ManifestSet set) => new(set);

        /// <summary>Relative paths ('/' separated), in the plan's order.</summary>
        public IReadOnlyList<string> Paths { get; }
        /// <summary>Folders below the root that hold files, parents before children.</summary>
        public IReadOnlyList<string> Folders { get; }
        public int Count => Paths.Count;

        /// <summary>Appends the content of file <paramref name="file"/> to <paramref name="output"/>.</summary>
        public void Write(int file, YamlBuffer output)
        {
            switch (file)
            {
                case 0:
                    output.Bytes(_marker);
                    return;
                case 1:
                    output.Bytes(_kustomization);
                    return;
            }
            var yamlFile = file - 2;
            if (yamlFile < _objectsOf.Length)
            {
                var members = _objectsOf[yamlFile];
                for (var k = 0; k < members.Length; k++)
                {
                    if (k > 0)
                    {
                        output.Bytes(DocumentSeparator);
                    }
                    var obj = _set.Objects[members[k]].Object;
                    if (!ModelYaml.TryWrite(obj, output))
                    {
                        output.Utf8(ModelYaml.Slow(obj));
                    }
                }
                return;
            }
            output.Utf8(_set.Artifacts[yamlFile - _objectsOf.Length].Content);
        }

        private static string Kustomization(ManifestSet set, IEnumerable<string> files)
        {
            var text = new StringBuilder();
            text.Append("# Rendered by FlatRacoon from stack '").Append(set.Stack.Name)
                .Append("' (environment '").Append(set.Stack.Environment.Name).Append("'). One file per module, listed in wave order; each holds its objects in apply order.\n");
            text.Append("apiVersion: kustomize.config.k8s.io/v1beta1\n");
            text.Append("kind: Kustomization\n");
            text.Append("resources:\n");
            foreach (var file in files)
            {
                text.Append("- ").Append(file).Append('\n');
            }
            return text.ToString();
        }
    }
}
