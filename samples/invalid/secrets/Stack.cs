// Expected: FR2001 FR2001
using FlatRacoon;
using FlatRacoon.Generated;

namespace Invalid;

public static class SecretsStack
{
    public static StackBuilder Create()
    {
        var stack = StackBuilder.Create("invalid-secrets", Environments.Production.Environment);
        stack.AddFlatracoonOs();
        stack.AddPolyK8sMcp();
        stack.AddPolySecretMcp();
        // FR2001 twice: tokens written into the code instead of references to where they live.
        const string token = "tg-refresh-0123456789";
        stack.AddTwingateHelmDeploy(new TwingateHelmDeployConfig
        {
            AccessToken = SecretReference.Parse("tg-access-0123456789"),
            RefreshToken = SecretReference.Parse(token),
        });
        return stack;
    }
}
