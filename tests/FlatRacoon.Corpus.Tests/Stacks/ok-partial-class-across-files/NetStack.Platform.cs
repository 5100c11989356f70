using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static partial class NetStack
{
    private sealed record PlatformParts(FlatracoonOsResource Hosts, PolyK8sMcpResource Api, PolySecretMcpResource Secrets);

    private static PlatformParts AddPlatform(StackBuilder stack)
    {
        var hosts = stack.AddFlatracoonOs(c => c with { MaxUnavailable = 2 });
        var api = stack.AddPolyK8sMcp(c => c with { NamespacePrefix = "netops" });
        return new PlatformParts(hosts, api, stack.AddPolySecretMcp(api));
    }
}
