using FlatRacoon;

namespace Corpus;

internal static class NetStack
{
    public static StackBuilder Create(StackEnvironment env)
    {
        var stack = StackBuilder.Create("netstack", env);
        var platform = PlatformTeam.Add(stack);
        NetworkTeam.Add(stack, platform);
        return stack;
    }
}
