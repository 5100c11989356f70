using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class NetStack
{
    private static readonly Ipv6Address SiteResolver = "2001:db8:f1a7::53";
    private static readonly AbsoluteUri Vault = "https://vault.flatracoon.internal:8200";

    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("access", env);
        var k8s = stack.AddPolyK8sMcp();
        var secrets = stack.AddPolySecretMcp(k8s, c => c with { VaultAddress = Vault });
        stack.AddTwingateHelmDeploy(k8s, secrets, c => c with { DnsServer = SiteResolver, Domain = "twingate.com" });
        return stack;
    }
}
