using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static class AccessStack
{
    private static readonly SecretReference ConnectorToken = "tg-access-9f8e7d6c5b4a"; // expect: FR2001

    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("access", env);
        var k8s = stack.AddPolyK8sMcp();
        var secrets = stack.AddPolySecretMcp(k8s);
        stack.AddTwingateHelmDeploy(k8s, secrets, c => c with { AccessToken = ConnectorToken });
        return stack;
    }
}
