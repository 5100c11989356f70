using FlatRacoon;
using FlatRacoon.Generated;

namespace Corpus;

internal static partial class NetStack
{
    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("netstack", env);
        var platform = AddPlatform(stack);
        AddNetwork(stack, platform);
        return stack;
    }
}
