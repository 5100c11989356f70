using System;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace FlatRacoon.FakeApiServer.Tests;

/// <summary>Raw HTTP against the fake, as any client sends it.</summary>
internal static class Http
{
    public static async Task<(int Status, JsonObject Body)> SendAsync(Uri baseUri, HttpMethod method, string path, string? body = null, string contentType = "application/apply-patch+yaml")
    {
        using var client = new HttpClient { BaseAddress = baseUri };
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        }
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? new JsonObject() : JsonNode.Parse(text) as JsonObject ?? new JsonObject { ["raw"] = text });
    }

    public static Task<(int Status, JsonObject Body)> ApplyAsync(Uri baseUri, string path, string manager, JsonObject obj, bool force = false, string extra = "") =>
        SendAsync(baseUri, HttpMethod.Patch, $"{path}?fieldManager={manager}{(force ? "&force=true" : "")}{extra}", obj.ToJsonString());
}
