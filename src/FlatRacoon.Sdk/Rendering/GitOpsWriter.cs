using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using k8s;

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
    public static IReadOnlyList<KeyValuePair<string, string>> Files(ManifestSet set)
    {
        var files = new List<KeyValuePair<string, string>>
        {
            new(MarkerFile, $"# This directory is rendered by FlatRacoon from stack '{set.Stack.Name}'. Do not edit; render again.\n"),
            new("kustomization.yaml", Kustomization(set)),
        };
        files.AddRange(set.Objects.Select(o => new KeyValuePair<string, string>(o.RelativePath, ToYaml(o))));
        files.AddRange(set.Artifacts.Select(a => new KeyValuePair<string, string>(a.RelativePath, a.Content)));
        var duplicate = files.GroupBy(f => f.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two rendered files share the path '{duplicate.Key}'.");
        }
        return files;
    }

    /// <summary>One object as a YAML document.</summary>
    public static string ToYaml(RenderedObject obj)
    {
        var yaml = KubernetesYaml.Serialize(obj.Object).Replace("\r\n", "\n", StringComparison.Ordinal);
        return yaml.EndsWith('\n') ? yaml : yaml + "\n";
    }

    /// <summary>
    /// Writes the set into <paramref name="directory"/>. Refuses a non-empty directory without the
    /// marker file unless <paramref name="force"/>.
    /// </summary>
    public static WriteResult Write(ManifestSet set, string directory, bool force = false)
    {
        var root = Path.GetFullPath(directory);
        // Only a directory FlatRacoon rendered before (or an empty one) is ours to prune.
        var owned = !Directory.Exists(root) || File.Exists(Path.Combine(root, MarkerFile)) || !Directory.EnumerateFileSystemEntries(root).Any();
        if (!owned && !force)
        {
            throw new RenderOutputException(
                $"Refusing to write into '{root}': it is not empty and FlatRacoon did not render it (no {MarkerFile}). Choose an empty directory, or pass --force.");
        }

        var files = Files(set);
        var written = new List<string>();
        var unchanged = new List<string>();
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (relative, content) in files)
        {
            var path = Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar));
            wanted.Add(Path.GetFullPath(path));
            var bytes = Utf8NoBom.GetBytes(content);
            if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
            {
                unchanged.Add(relative);
                continue;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, bytes);
            written.Add(relative);
        }

        var deleted = new List<string>();
        if (owned)
        {
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).ToList())
            {
                if (!wanted.Contains(Path.GetFullPath(file)))
                {
                    File.Delete(file);
                    deleted.Add(Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/'));
                }
            }
            foreach (var dir in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories).OrderByDescending(d => d.Length).ToList())
            {
                if (!Directory.EnumerateFileSystemEntries(dir).Any())
                {
                    Directory.Delete(dir);
                }
            }
        }
        return new WriteResult(root, written, unchanged, deleted);
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
