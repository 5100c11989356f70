using System;
using FlatRacoon.Agents;
using FlatRacoon.Ipv6SiteEnforcer;

// The ipv6-site-enforcer's main container: see docs/reference/images.md#ipv6-site-enforcer.
return await AgentHost.RunAsync("ipv6-site-enforcer", Enforcer.Create, Console.Out, Console.Error);
