using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using FlatRacoon.Rendering;
using Xunit;

namespace FlatRacoon.Testing.Tests;

/// <summary>
/// A team's stack with secret references, applied against the fake cluster with test values
/// (<see cref="TestStack.WithSecrets"/>): the Secret in the fake holds them, and nothing the
/// program prints does.
/// </summary>
public class SecretKitTests
{
    private const string PasswordReference = "env://TEAM_CACHE_PASSWORD_NOT_SET_ANYWHERE";
    private const string TokenReference = "vault://secret/team/cache#token";
    private const string Password = "s3cr3t-cache-password-7Q";
    private const string Token = "vault-token-value-don't-print";

    /// <summary>The team's renderer plus a Secret of two references (one env, one Vault: resolved at apply time).</summary>
    private sealed class WithCredentials : IModuleRenderer
    {
        public void Render(ModuleRenderContext context)
        {
            new TeamStack.TeamCacheRenderer().Render(context);
            ModuleSecrets.Render(context, new[]
            {
                new SecretMaterialization("team-cache-credentials", new[]
                {
                    new SecretKeyReference("password", SecretReference.Parse(PasswordReference)),
                    new SecretKeyReference("token", SecretReference.Parse(TokenReference)),
                }),
            });
        }
    }

    private static TestStack Stack => new(env => TeamStack.TeamStack.Create(env), options =>
    {
        TeamStack.TeamStack.Configure(options);
        options.AddRenderer("team-cache", new WithCredentials());
    });

    private static string Data(FakeCluster cluster, string key) =>
        Encoding.UTF8.GetString(Convert.FromBase64String(cluster.Get("Secret", "team-cache", "team-cache-credentials")["data"]![key]!.GetValue<string>()));

    [Fact(Timeout = 120_000)]
    public async Task A_stack_with_secret_references_applies_with_test_values_that_reach_the_secret_and_never_the_output()
    {
        Assert.Null(Environment.GetEnvironmentVariable("TEAM_CACHE_PASSWORD_NOT_SET_ANYWHERE"));
        await using var cluster = await FakeCluster.StartAsync();
        var stack = Stack.WithSecrets(new Dictionary<string, string> { [PasswordReference] = Password, [TokenReference] = Token });
        Assert.Equal(new[] { Password, Token }, stack.SecretValues);

        var plan = await cluster.RunAsync(stack, "plan", "--environment", "development");
        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains("Secret team-cache/team-cache-credentials", plan.Output, StringComparison.Ordinal);
        StackAssert.NoSecretValues(plan, stack.SecretValues);

        var apply = await cluster.ApplyAsync(stack, "development");
        StackAssert.NoSecretValues(apply, stack.SecretValues);
        Assert.Equal(Password, Data(cluster, "password"));
        Assert.Equal(Token, Data(cluster, "token"));
        Assert.Equal("Opaque", cluster.Get("Secret", "team-cache", "team-cache-credentials")["type"]!.GetValue<string>());

        // Applied again with the same values: nothing to do (the values are compared, not printed).
        var settled = await cluster.PlanAsync(stack, "development");
        Assert.True(settled.IsEmpty, settled.ToString());

        // Another value: plan and apply (text and JSON lines) show the Secret changes, never either value.
        const string Rotated = "rotated-password-value-9Z";
        var rotated = Stack.WithSecrets(new Dictionary<string, string> { [PasswordReference] = Rotated, [TokenReference] = Token });
        var textPlan = await cluster.RunAsync(rotated, "plan", "--environment", "development");
        Assert.True(textPlan.ExitCode == 0, textPlan.ToString());
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(textPlan.Output, @"~ update +Secret team-cache/team-cache-credentials .*\n +data\W+password\W*: \(secret, changed\)\n +data\W+token\W*: \(secret, unchanged\)\n"), textPlan.Output);
        StackAssert.NoSecretValues(textPlan, new[] { Password, Rotated, Token });
        var jsonPlan = await cluster.RunAsync(rotated, "plan", "--environment", "development", "--output", "json");
        Assert.True(jsonPlan.ExitCode == 0, jsonPlan.ToString());
        Assert.True(jsonPlan.Output.Contains("(redacted)", StringComparison.Ordinal), jsonPlan.Output);
        StackAssert.NoSecretValues(jsonPlan, new[] { Password, Rotated, Token });
        var reapply = await cluster.ApplyAsync(rotated, "development", "--output", "json");
        StackAssert.NoSecretValues(reapply, new[] { Password, Rotated, Token });
        Assert.Equal(Rotated, Data(cluster, "password"));

        // The render (GitOps output) carries the references only.
        var rendered = await rotated.RenderAsync("development");
        try
        {
            StackAssert.NoSecretValues(rendered, new[] { Password, Rotated, Token });
            Assert.Contains(PasswordReference, File.ReadAllText(Path.Combine(rendered, "team-cache", ModuleSecrets.ApplyTimeFile)), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(rendered, recursive: true);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task A_reference_without_a_test_value_fails_naming_the_reference_and_writes_nothing()
    {
        await using var cluster = await FakeCluster.StartAsync();
        var partial = Stack.WithSecrets(new Dictionary<string, string> { [PasswordReference] = Password });
        var failed = await Assert.ThrowsAsync<FlatRacoonTestException>(() => cluster.ApplyAsync(partial, "development"));
        Assert.Contains($"Cannot resolve secret reference {TokenReference}: the test gives no value for it (TestStack.WithSecrets).", failed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, failed.Message, StringComparison.Ordinal);
        Assert.Null(cluster.Find("Namespace", null, "team-cache"));

        // Without test values the program's own resolvers run: the unset variable is the error.
        var production = await Assert.ThrowsAsync<FlatRacoonTestException>(() => cluster.ApplyAsync(Stack, "development"));
        Assert.Contains("the environment variable TEAM_CACHE_PASSWORD_NOT_SET_ANYWHERE is not set", production.Message, StringComparison.Ordinal);

        // Keys must be references; a bad one is named (keys are never values), an empty value is refused without showing anything.
        var notReference = Assert.Throws<ArgumentException>(() => Stack.WithSecrets(new Dictionary<string, string> { ["TEAM_TOKEN"] = "x" }));
        Assert.StartsWith("'TEAM_TOKEN' is not a secret reference", notReference.Message, StringComparison.Ordinal);
        var empty = Assert.Throws<ArgumentException>(() => Stack.WithSecrets(new Dictionary<string, string> { [TokenReference] = "" }));
        Assert.StartsWith($"The test value of {TokenReference} is empty", empty.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoSecretValues_on_a_run_fails_naming_stream_line_and_value_number_but_never_the_value()
    {
        StackAssert.NoSecretValues(new StackRun(0, "applied Secret team-cache/x\n", ""), new[] { Password });
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(Token));
        var run = new StackRun(1, "line one\nthe password is " + Password + "\n", "data: " + base64 + "\n");
        var e = Assert.Throws<FlatRacoonTestException>(() => StackAssert.NoSecretValues(run, new[] { Password, Token }));
        Assert.Equal($"""
            secret values appear in what the program printed (it must show references and redacted values only):
              stdout line 2: secret value #1 ({Password.Length} characters)
              stderr line 1: secret value #2 ({Token.Length} characters) (base64)
            """.Replace("\r\n", "\n", StringComparison.Ordinal), e.Message);
        Assert.DoesNotContain(Password, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, e.Message, StringComparison.Ordinal);
    }
}
