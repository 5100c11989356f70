using System;
using Corpus;
using FlatRacoon;

// The single-environment shortcut: the site picks its environment by name when it starts.
var name = Environment.GetEnvironmentVariable("FLATRACOON_SITE") ?? "staging";
var env = EnvironmentCatalog.Find(name) ?? EnvironmentCatalog.Default;
return await NetStack.Create(env).RunAsync(args);
