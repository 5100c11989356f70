using System;
using System.IO;
using System.Threading.Tasks;
using FlatRacoon.TeamStack.Generated;
using Xunit;

namespace FlatRacoon.Testing.Tests;

/// <summary>
/// Golden folders and the assertions on their own: what a failure says, and the update switch.
/// One class, so the tests that set FLATRACOON_UPDATE_GOLDENS never run beside another golden test.
/// </summary>
public sealed class GoldenAndAssertTests : IDisposable
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "flatracoon-golden-" + Guid.NewGuid().ToString("N"));

    public GoldenAndAssertTests() => Directory.CreateDirectory(_work);

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private string Folder(string name, params (string Path, string Text)[] files)
    {
        var root = Path.Combine(_work, name);
        Directory.CreateDirectory(root);
        foreach (var (path, text) in files)
        {
            var file = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, text);
        }
        return root;
    }

    [Fact]
    public void Equal_folders_pass_and_differences_are_described_file_by_file_with_the_first_differing_line()
    {
        var golden = Folder("golden", ("a/deployment.yaml", "kind: Deployment\nspec:\n  replicas: 1\n"), ("gone.yaml", "x\n"), ("same.yaml", "y\n"));
        Golden.AssertDirectory(Folder("equal", ("a/deployment.yaml", "kind: Deployment\nspec:\n  replicas: 1\n"), ("gone.yaml", "x\n"), ("same.yaml", "y\n")), golden);

        var actual = Folder("actual", ("a/deployment.yaml", "kind: Deployment\nspec:\n  replicas: 3\n"), ("new.yaml", "z\n"), ("same.yaml", "y\n"));
        var e = Assert.Throws<FlatRacoonTestException>(() => Golden.AssertDirectory(actual, golden));
        Assert.Equal($"""
            3 differences between the output '{actual}' and the golden folder '{golden}':
              a/deployment.yaml: differs from line 3:
                golden:   replicas: 1
                actual:   replicas: 3
              gone.yaml: missing from the output (the golden folder has it)
              new.yaml: not in the golden folder (a new file)
            If the change is intended, run the tests again with FLATRACOON_UPDATE_GOLDENS=1 and review the diff of the golden folder.
            """, e.Message);
        Assert.Equal(3, Golden.Compare(actual, golden).Count);
    }

    [Fact]
    public void The_update_switch_rewrites_the_golden_folder_and_nothing_else_does()
    {
        var golden = Folder("golden", ("old.yaml", "old\n"));
        var actual = Folder("actual", ("x/new.yaml", "new\n"));
        Assert.Throws<FlatRacoonTestException>(() => Golden.AssertDirectory(actual, golden));
        Assert.True(File.Exists(Path.Combine(golden, "old.yaml")), "a failed comparison must not write");

        Environment.SetEnvironmentVariable(Golden.UpdateVariable, "1");
        try
        {
            Golden.AssertDirectory(actual, golden);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Golden.UpdateVariable, null);
        }
        Assert.False(File.Exists(Path.Combine(golden, "old.yaml")));
        Assert.Equal("new\n", File.ReadAllText(Path.Combine(golden, "x", "new.yaml")));
        Golden.AssertDirectory(actual, golden);

        var missing = Path.Combine(_work, "no-golden");
        var e = Assert.Throws<FlatRacoonTestException>(() => Golden.AssertDirectory(actual, missing));
        Assert.Equal($"the golden folder '{missing}' does not exist; create it with FLATRACOON_UPDATE_GOLDENS=1 and review it before committing.", e.Message);
    }

    [Fact]
    public void A_secret_value_in_the_output_is_found_by_file_and_line_and_never_repeated()
    {
        const string secret = "s3cr3t-value-9d1";
        var rendered = Folder("rendered",
            ("app/configmap.yaml", $"kind: ConfigMap\ndata:\n  password: {secret}\n"),
            ("app/secret.yaml", $"kind: Secret\ndata:\n  token: {Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(secret))}\n"),
            ("app/clean.yaml", "kind: Secret\nstringData:\n  token: env://TEAM_TOKEN\n"));
        StackAssert.NoSecretValues(Path.Combine(rendered, "app", "..", "app"), new[] { "another-value" });
        var e = Assert.Throws<FlatRacoonTestException>(() => StackAssert.NoSecretValues(rendered, new[] { "another-value", secret }));
        Assert.Equal("""
            secret values appear in the rendered output (they must stay references, resolved only at apply time):
              app/configmap.yaml line 3: secret value #2 (16 characters)
              app/secret.yaml line 3: secret value #2 (16 characters) (base64)
            """.TrimEnd(), e.Message);
        Assert.DoesNotContain(secret, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_stack_fails_IsValid_with_its_findings_listed()
    {
        var invalid = new TestStack(env =>
        {
            var stack = TeamStack.TeamStack.Create(env);
            stack.AddTeamCache();   // the same module twice
            return stack;
        }, TeamStack.TeamStack.Configure);
        var e = await Assert.ThrowsAsync<FlatRacoonTestException>(() => StackAssert.IsValidAsync(invalid, "development"));
        Assert.StartsWith("the stack is not valid (environment 'development') (exit code ", e.Message, StringComparison.Ordinal);
        Assert.Contains("team-cache", e.Message, StringComparison.Ordinal);
    }
}
