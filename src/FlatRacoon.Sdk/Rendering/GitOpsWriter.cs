using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.IO.Enumeration;
using System.Text;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

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
/// Writes a <see cref="ManifestSet"/> as a GitOps directory: one YAML document per object in
/// <c>&lt;module&gt;/&lt;kind&gt;-&lt;name&gt;.yaml</c>, artifacts beside them, a
/// <c>kustomization.yaml</c> listing every object in apply order. UTF-8 without BOM, '\n' line
/// ends, no timestamps: rendering twice gives identical bytes. Files of an earlier render that
/// are gone from the stack are deleted; a directory FlatRacoon did not write is never touched.
/// </summary>
public static class GitOpsWriter
{
    /// <summary>Marker file that says FlatRacoon owns the directory.</summary>
    public const string MarkerFile = ".flatracoon-render";

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>The files of <paramref name="set"/>: relative path → content, in a stable order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Files(ManifestSet set) =>
        Utf8Files(set).Select(f => new KeyValuePair<string, string>(f.Path, Utf8NoBom.GetString(f.Content))).ToList();

    /// <summary>One object as a YAML document.</summary>
    public static string ToYaml(RenderedObject obj) => Utf8NoBom.GetString(ModelYaml.ToUtf8(obj.Object, new YamlBuffer()));

    /// <summary>
    /// The files of <paramref name="set"/> as UTF-8 bytes, in a stable order. Objects are serialized
    /// on all cores; each file's bytes depend on its object alone, so the result is the same on any
    /// machine and any number of cores.
    /// </summary>
    internal static List<(string Path, byte[] Content)> Utf8Files(ManifestSet set)
    {
        var objects = set.Objects;
        var yaml = new byte[objects.Length][];
        Parallel.For(0, objects.Length, () => new YamlBuffer(), (i, _, buffer) =>
        {
            yaml[i] = ModelYaml.ToUtf8(objects[i].Object, buffer);
            return buffer;
        }, _ => { });

        var files = new List<(string Path, byte[] Content)>(objects.Length + set.Artifacts.Length + 2)
        {
            (MarkerFile, Utf8NoBom.GetBytes($"# This directory is rendered by FlatRacoon from stack '{set.Stack.Name}'. Do not edit; render again.\n")),
            ("kustomization.yaml", Utf8NoBom.GetBytes(Kustomization(set))),
        };
        for (var i = 0; i < objects.Length; i++)
        {
            files.Add((objects[i].RelativePath, yaml[i]));
        }
        foreach (var artifact in set.Artifacts)
        {
            files.Add((artifact.RelativePath, Utf8NoBom.GetBytes(artifact.Content)));
        }
        var paths = new HashSet<string>(files.Count, StringComparer.Ordinal);
        foreach (var (path, _) in files)
        {
            if (!paths.Add(path))
            {
                throw new InvalidOperationException($"Two rendered files share the path '{path}'.");
            }
        }
        return files;
    }

    /// <summary>
    /// Writes the set into <paramref name="directory"/>. Refuses a non-empty directory without the
    /// marker file unless <paramref name="force"/>. A file that already holds the same bytes is not
    /// rewritten (its modification time stays), so a render that changes nothing writes nothing.
    /// </summary>
    public static WriteResult Write(ManifestSet set, string directory, bool force = false) =>
        WriteFiles(() => Utf8Files(set), directory, force);

    /// <summary>Writes files made by <paramref name="files"/> (called after the directory checks).</summary>
    internal static WriteResult WriteFiles(Func<List<(string Path, byte[] Content)>> files, string directory, bool force)
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

        var rendered = files();

        // What is there already, by relative path ('/' separated) with its length: one directory walk
        // instead of a stat (and a read) per file.
        var existing = new Dictionary<string, long>(StringComparer.Ordinal);
        var existingFolders = new HashSet<string>(StringComparer.Ordinal);
        if (exists)
        {
            existingFolders.Add("");
            var prefix = root.Length + 1;
            foreach (var (path, length) in new FileSystemEnumerable<(string, long)>(root,
                (ref FileSystemEntry e) => (e.ToFullPath()[prefix..].Replace(Path.DirectorySeparatorChar, '/'), e.Length),
                new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false })
            {
                ShouldIncludePredicate = (ref FileSystemEntry e) => !e.IsDirectory,
            })
            {
                existing[path] = length;
                var slash = path.LastIndexOf('/');
                existingFolders.Add(slash < 0 ? "" : path[..slash]);
            }
        }

        // A few writers overlap the file system's waits. Each takes whole folders (create the folder,
        // then write its files), so no file waits for a folder another writer has not made yet.
        var folders = rendered
            .Select((f, i) => (Folder: Path.GetDirectoryName(f.Path) ?? "", Index: i))
            .GroupBy(f => f.Folder, StringComparer.Ordinal)
            .Select(g => (Folder: g.Key, Files: g.Select(f => f.Index).ToArray()))
            .ToArray();
        var changed = new bool[rendered.Count];
        RunWriters(folders.Length, k =>
        {
            var (folder, indexes) = folders[k];
            if (!existingFolders.Contains(folder))
            {
                Directory.CreateDirectory(folder.Length == 0 ? root : Path.Combine(root, folder));
            }
            foreach (var i in indexes)
            {
                var (relative, bytes) = rendered[i];
                var path = Path.Combine(root, relative);
                if (existing.TryGetValue(relative, out var length) && length == bytes.Length && SameBytes(path, bytes))
                {
                    continue;
                }
                WriteFile(path, bytes);
                changed[i] = true;
            }
        });
        var written = new List<string>();
        var unchanged = new List<string>();
        for (var i = 0; i < rendered.Count; i++)
        {
            (changed[i] ? written : unchanged).Add(rendered[i].Path);
        }

        var deleted = new List<string>();
        if (owned && exists)
        {
            var wanted = new HashSet<string>(rendered.Select(f => f.Path), StringComparer.Ordinal);
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
    /// Number of concurrent writers. Measured on a shared 2-core machine: 16 or 64 writers spent far
    /// more kernel time (contention on the file system) than 1 to 4 and finished later; one per core, at most 4.
    /// </summary>
    internal static int Writers { get; set; } = Math.Clamp(Environment.ProcessorCount, 1, 4);

    private static void RunWriters(int count, Action<int> work)
    {
        if (count == 0)
        {
            return;
        }
        var next = -1;
        Exception? failure = null;
        void Loop()
        {
            int k;
            while (Volatile.Read(ref failure) is null && (k = Interlocked.Increment(ref next)) < count)
            {
                try
                {
                    work(k);
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

    // File.WriteAllBytes preallocates (one more system call per file); a small file does not need it.
    private static void WriteFile(string path, byte[] bytes)
    {
        using var handle = File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.None);
        RandomAccess.Write(handle, bytes, 0);
    }

    private static bool SameBytes(string path, byte[] bytes)
    {
        try
        {
            return File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }

    private static string Kustomization(ManifestSet set)
    {
        var text = new StringBuilder();
        text.Append("# Rendered by FlatRacoon from stack '").Append(set.Stack.Name)
            .Append("' (environment '").Append(set.Stack.Environment.Name).Append("'). Resources are listed in apply order.\n");
        text.Append("apiVersion: kustomize.config.k8s.io/v1beta1\n");
        text.Append("kind: Kustomization\n");
        text.Append("resources:\n");
        foreach (var obj in set.Objects)
        {
            text.Append("- ").Append(obj.RelativePath).Append('\n');
        }
        return text.ToString();
    }
}
