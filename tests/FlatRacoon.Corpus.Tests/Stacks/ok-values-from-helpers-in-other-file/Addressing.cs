using FlatRacoon;

namespace Corpus;

/// <summary>The addressing plan, kept apart from the stack.</summary>
internal static class Addressing
{
    public static readonly Ipv6Prefix Nat64 = "64:ff9b:1::/96";

    public static Ipv6Prefix SitePrefix(StackEnvironment env) => env.Name switch
    {
        "production" => "2001:db8:f1a7::/48",
        "staging" => "2001:db8:57a6::/48",
        _ => "fdf1:a7de::/48",
    };

    public static DnsName Domain(StackEnvironment env) => env.Name == "production" ? "flatracoon.internal" : $"{env.Name}.flatracoon.internal";
}
