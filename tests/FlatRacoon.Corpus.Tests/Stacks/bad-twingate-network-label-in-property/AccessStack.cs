using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal sealed class AccessStack
{
    /// <summary>The Twingate remote network, as the access team configures it.</summary>
    public TwingateHelmDeployConfig Access { get; } = TwingateHelmDeployConfig.Default with
    {
        Network = "Flat Racoon Remote", // expect: FR0104
        Replicas = 2,
    };

    public StackBuilder Declare(StackEnvironment env)
    {
        var stack = StackBuilder.Create("access", env);
        var k8s = stack.AddPolyK8sMcp();
        var secrets = stack.AddPolySecretMcp(k8s);
        stack.AddTwingateHelmDeploy(k8s, secrets, _ => Access);
        return stack;
    }
}
