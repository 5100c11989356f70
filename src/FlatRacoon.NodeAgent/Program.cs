using System;
using FlatRacoon.Agents;
using FlatRacoon.NodeAgent;

// The flatracoon-os node agent: see docs/reference/images.md#flatracoon-os-node-agent.
return await AgentHost.RunAsync("flatracoon-os node agent", NodeAgent.Create, Console.Out, Console.Error);
