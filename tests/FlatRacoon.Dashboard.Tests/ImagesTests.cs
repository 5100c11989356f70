using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using FlatRacoon.Deployment;
using FlatRacoon.Rendering;
using FlatRacoon.Samples;
using Xunit;

namespace FlatRacoon.Dashboard.Tests;

/// <summary>images/images.json is the one list of the images the render references, and each is what it says it is.</summary>
public sealed class ImagesTests
{
    private static readonly string Root = Cluster.RepoRoot;
    private static readonly JsonArray Listed = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "images", "images.json")))!["images"]!.AsArray();

    private static string S(JsonNode? node, string name) => node?[name]?.GetValue<string>() ?? "";

    private static IEnumerable<string> ImagesOf(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    if (key is "containers" or "initContainers" && value is JsonArray containers)
                    {
                        foreach (var c in containers)
                        {
                            yield return S(c, "image");
                        }
                    }
                    foreach (var image in ImagesOf(value))
                    {
                        yield return image;
                    }
                }
                break;
            case JsonArray a:
                foreach (var image in a.SelectMany(ImagesOf))
                {
                    yield return image;
                }
                break;
        }
    }

    /// <summary>Every image of the sample's render, in every environment it is declared for.</summary>
    private static SortedSet<string> Rendered() => new(
        new[] { "development", "staging", "production" }
            .SelectMany(env => DeploymentSet.From(StackRenderer.Render(NetStack.Create(NetStack.Environment(env)).Build())).Objects)
            .SelectMany(o => ImagesOf(o.Body)),
        StringComparer.Ordinal);

    /// <summary>The image each module's manifest names (what a setting may switch the render to, e.g. bgp-backbone-lab's frr).</summary>
    private static IEnumerable<string> ManifestImages() => Directory.GetFiles(Path.Combine(Root, "modules"), "flatracoon.module.json", SearchOption.AllDirectories)
        .Select(f => JsonNode.Parse(File.ReadAllText(f))!["image"])
        .Where(i => i is not null)
        .Select(i => $"{S(i, "repository")}:{S(i, "tag")}");

    [Fact]
    public void Every_image_the_render_references_is_listed_and_every_listed_image_is_referenced()
    {
        var listed = Listed.Select(i => S(i, "image")).ToArray();
        Assert.Equal(listed.Length, listed.Distinct().Count());
        var rendered = Rendered();
        Assert.Empty(rendered.Except(listed));
        Assert.Empty(listed.Except(rendered.Concat(ManifestImages())));
    }

    [Fact]
    public void Upstream_images_are_pinned_by_tag_and_a_digest_is_a_real_sha256_when_given()
    {
        foreach (var image in Listed.Where(i => S(i, "source") == "upstream"))
        {
            var tag = S(image, "tag");
            Assert.False(string.IsNullOrEmpty(tag) || tag == "latest", S(image, "image"));
            Assert.Equal($"{S(image, "repository")}:{tag}", S(image, "image"));
            if (image!["digest"] is { } digest)
            {
                Assert.Matches("^sha256:[0-9a-f]{64}$", digest.GetValue<string>());
            }
        }
        Assert.All(Listed, i => Assert.Contains(S(i, "source"), new[] { "upstream", "built", "placeholder" }));
    }

    [Fact]
    public void Built_images_have_their_dockerfile_and_program_and_no_floating_base()
    {
        foreach (var image in Listed.Where(i => S(i, "source") == "built"))
        {
            var dockerfile = Path.Combine(Root, S(image, "dockerfile"));
            Assert.True(File.Exists(dockerfile), $"{S(image, "image")}: {dockerfile} is missing");
            foreach (var from in File.ReadAllLines(dockerfile).Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)))
            {
                Assert.Matches(@"^FROM [a-z0-9./-]+:[0-9a-z.-]+( AS \w+)?$", from);
                Assert.DoesNotContain(":latest", from);
            }
            if (S(image, "project") is { Length: > 0 } project)
            {
                Assert.True(File.Exists(Path.Combine(Root, project)), $"{S(image, "image")}: {project} is missing");
            }
        }
    }

    /// <summary>
    /// Each image built from a program under src/ (the dashboard, the ipv6-site-enforcer, the
    /// flatracoon-os node agent): the name `dotnet publish /t:PublishContainer` gives it is the
    /// listed one, it runs as 65532 on port 8080, and its Dockerfile publishes that project and starts its assembly as 65532.
    /// </summary>
    [Fact]
    public void Images_built_from_programs_under_src_are_named_as_dotnet_publish_container_support_would_build_them()
    {
        var version = XDocument.Load(Path.Combine(Root, "Directory.Build.props")).Descendants("Version").Single().Value;
        var programs = Listed.Where(i => S(i, "source") == "built" && S(i, "project").StartsWith("src/", StringComparison.Ordinal)).ToList();
        Assert.Equal(new[] { "flatracoon-os", "ipv6-site-enforcer", "network-dashboard" },
            programs.Select(i => S(i, "image").Split('/').Last().Split(':')[0]).OrderBy(n => n, StringComparer.Ordinal));
        foreach (var image in programs)
        {
            var projectPath = S(image, "project");
            var project = XDocument.Load(Path.Combine(Root, projectPath));
            string Property(string name) => project.Descendants(name).Single().Value;
            Assert.Equal(S(image, "image"), $"{Property("ContainerRegistry")}/{Property("ContainerRepository")}:{version}");
            Assert.Equal("65532", Property("ContainerUser"));
            Assert.Equal("8080", project.Descendants("ContainerPort").Single().Attribute("Include")!.Value);
            var dockerfile = File.ReadAllLines(Path.Combine(Root, S(image, "dockerfile")));
            var assembly = Path.GetFileNameWithoutExtension(projectPath) + ".dll";
            Assert.Contains(dockerfile, l => l.StartsWith("RUN dotnet publish " + projectPath + " ", StringComparison.Ordinal));
            Assert.Contains("USER 65532", dockerfile);
            Assert.Contains("EXPOSE 8080", dockerfile);
            Assert.Equal($"ENTRYPOINT [\"dotnet\", \"{assembly}\"]", dockerfile.Single(l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public void Images_built_from_debian_packages_carry_the_version_debian_ships()
    {
        foreach (var image in Listed.Where(i => S(i, "debian_package").Length > 0))
        {
            var package = S(image, "debian_package");
            var tag = S(image, "image").Split(':').Last();
            Assert.Contains($"{package}={tag}-*", File.ReadAllText(Path.Combine(Root, S(image, "dockerfile"))));
            // The same package on this machine (scripts/setup.d/30-network-daemons.sh installs it): the pin exists in Debian 12.
            var info = new ProcessStartInfo("dpkg-query", $"-W -f=${{Version}} {package}") { RedirectStandardOutput = true, RedirectStandardError = true };
            using var dpkg = Process.Start(info)!;
            var installed = dpkg.StandardOutput.ReadToEnd();
            dpkg.WaitForExit();
            Assert.True(dpkg.ExitCode == 0, $"{package} is not installed: run scripts/setup.d/30-network-daemons.sh");
            Assert.StartsWith(tag + "-", installed);
        }
    }

    [Fact]
    public void The_images_page_says_which_is_which_and_what_each_placeholder_must_do()
    {
        var page = File.ReadAllText(Path.Combine(Root, "docs", "reference", "images.md"));
        foreach (var image in Listed)
        {
            Assert.Contains($"`{S(image, "image")}`", page);
        }
        foreach (var placeholder in Listed.Where(i => S(i, "source") == "placeholder"))
        {
            var name = S(placeholder, "image").Split('/').Last().Split(':')[0];
            Assert.Matches(new Regex($"### {Regex.Escape(name)} \\(placeholder\\)\\s+\\S+[\\s\\S]*?It must", RegexOptions.Multiline), page);
        }
    }
    /// <summary>
    /// The stack-program Dockerfile's ENTRYPOINT, run by /bin/sh as a container would run it, with
    /// a <c>dotnet</c> on PATH that prints its arguments: each listed role starts <c>mcp --tools</c>
    /// with the set images.json names, writes only for poly-k8s-mcp, and an unknown role is one line
    /// and exit code 2.
    /// </summary>
    [Fact]
    public void The_stack_program_image_runs_the_tool_set_of_each_role()
    {
        var dockerfile = File.ReadAllLines(Path.Combine(Root, "images", "stack-program", "Dockerfile"));
        var entrypoint = JsonNode.Parse(dockerfile.Single(l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal))["ENTRYPOINT ".Length..])!.AsArray()
            .Select(n => n!.GetValue<string>()).ToArray();
        Assert.Equal(new[] { "/bin/sh", "-c" }, entrypoint[..2]);
        var bin = Directory.CreateTempSubdirectory("flatracoon-entrypoint-");
        try
        {
            var fake = Path.Combine(bin.FullName, "dotnet");
            File.WriteAllText(fake, "#!/bin/sh\necho \"$@\"\n");
            File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            (int Code, string Out, string Err) Run(string role, string? readOnly = null)
            {
                var info = new ProcessStartInfo(entrypoint[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (var arg in entrypoint[1..])
                {
                    info.ArgumentList.Add(arg);
                }
                info.Environment["PATH"] = bin.FullName + ":/usr/bin:/bin";
                info.Environment["FLATRACOON_ROLE"] = role;
                if (readOnly is not null)
                {
                    info.Environment["FLATRACOON_READ_ONLY"] = readOnly;
                }
                using var process = Process.Start(info)!;
                var output = process.StandardOutput.ReadToEnd();
                var error = process.StandardError.ReadToEnd();
                process.WaitForExit();
                return (process.ExitCode, output.Trim(), error.Trim());
            }
            var fromProgram = Listed.Where(i => S(i, "dockerfile") == "images/stack-program/Dockerfile").ToList();
            Assert.Equal(new[] { "poly-k8s-mcp", "poly-observability-mcp", "poly-secret-mcp" }, fromProgram.Select(i => S(i, "role")).OrderBy(r => r, StringComparer.Ordinal));
            foreach (var image in fromProgram)
            {
                var (code, output, _) = Run(S(image, "role"));
                Assert.Equal(0, code);
                var writes = S(image, "role") == "poly-k8s-mcp" ? " --allow-writes" : "";
                Assert.Equal($"/app/stack.dll mcp --http 8080 --listen :: --tools {S(image, "tools")}{writes}", output);
            }
            Assert.Equal("/app/stack.dll mcp --http 8080 --listen :: --tools stack", Run("poly-k8s-mcp", "true").Out);
            var unknown = Run("poly-nothing");
            Assert.Equal(2, unknown.Code);
            Assert.StartsWith("error: FLATRACOON_ROLE must be", unknown.Err);
            Assert.DoesNotContain("\n", unknown.Err);
        }
        finally
        {
            bin.Delete(recursive: true);
        }
    }
}
