using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal sealed record PlatformParts(IContainerHosts Hosts, IKubernetesApi Api, ISecretStore Secrets);

internal static class PlatformTeam
{
    public static PlatformParts Add(StackBuilder stack)
    {
        var hosts = stack.AddFlatracoonOs();
        var api = stack.AddPolyK8sMcp();
        var secrets = stack.AddPolySecretMcp(api);
        return new PlatformParts(hosts, api, secrets);
    }
}
