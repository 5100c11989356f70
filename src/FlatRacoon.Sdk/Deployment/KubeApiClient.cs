using System;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using k8s;

namespace FlatRacoon.Deployment;

/// <summary>How requests are retried: 429, 5xx, dropped connections and timeouts, with exponential backoff; Retry-After wins.</summary>
public sealed record RetryPolicy
{
    /// <summary>Attempts per request, the first one included.</summary>
    public int MaxAttempts { get; init; } = 6;
    /// <summary>Delay before the second attempt; doubles each time.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);
    /// <summary>Largest backoff delay.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(8);
    /// <summary>Largest Retry-After honoured (a longer one is cut to this).</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Time allowed for one request before it counts as timed out (and is retried).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>An answer of the API server: status code and body (JSON, or null when empty or not JSON).</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="Body">The parsed body.</param>
public sealed record ApiAnswer(HttpStatusCode StatusCode, JsonObject? Body)
{
    /// <summary>A 2xx answer kept as parsed (<see cref="KubeApiClient.GetDocumentAsync"/>; <see cref="Body"/> is then null).</summary>
    internal JsonDocument? Document { get; init; }

    /// <summary>True for 2xx.</summary>
    public bool IsSuccess => (int)StatusCode is >= 200 and < 300;
    /// <summary>The <c>message</c> of a Status body, if any.</summary>
    public string? StatusMessage => Body?["kind"]?.GetValue<string>() == "Status" ? Body["message"]?.GetValue<string>() : null;
}

/// <summary>A retry about to happen, for narration.</summary>
/// <param name="What">What was being done ("apply Deployment ipfs/ipfs").</param>
/// <param name="Answer">Why it is retried, in words.</param>
/// <param name="Attempt">The attempt that failed (1-based).</param>
/// <param name="MaxAttempts">Attempts allowed.</param>
/// <param name="Delay">Wait before the next attempt.</param>
public sealed record RetryNotice(string What, string Answer, int Attempt, int MaxAttempts, TimeSpan Delay);

/// <summary>
/// The REST calls the deployment engine makes, over the Kubernetes client's authenticated HTTP
/// pipeline (kubeconfig, context, in-cluster). Transient failures are retried by <see cref="RetryPolicy"/>;
/// any other answer is returned to the caller, who knows what it means for its object.
/// </summary>
public sealed class KubeApiClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _base;
    private readonly Func<HttpRequestMessage, CancellationToken, Task>? _authorize;
    private readonly IDisposable? _owner;
    private long _requests;

    /// <summary>A client for <paramref name="baseUri"/> over <paramref name="http"/>; <paramref name="authorize"/> adds credentials.</summary>
    public KubeApiClient(HttpClient http, Uri baseUri, Func<HttpRequestMessage, CancellationToken, Task>? authorize = null, RetryPolicy? retry = null, IDisposable? owner = null)
    {
        _http = http;
        _base = baseUri;
        _authorize = authorize;
        _owner = owner;
        Retry = retry ?? new RetryPolicy();
        _http.Timeout = System.Threading.Timeout.InfiniteTimeSpan; // each attempt has its own timeout
    }

    /// <summary>The retry policy.</summary>
    public RetryPolicy Retry { get; }
    /// <summary>Called before each retry (for narration).</summary>
    public Action<RetryNotice>? OnRetry { get; set; }
    /// <summary>HTTP requests sent so far, retries included.</summary>
    public long RequestCount => Interlocked.Read(ref _requests);
    /// <summary>The API server's address.</summary>
    public Uri BaseUri => _base;

    /// <summary>
    /// Connects as kubectl would, exactly as the stack program's commands do
    /// (<see cref="Cli.KubeconfigResolver"/>): <paramref name="kubeconfig"/>, else every file of
    /// KUBECONFIG merged, else ~/.kube/config, with <paramref name="context"/> (else the current one);
    /// inside a pod without a kubeconfig, the in-cluster service account. A user without
    /// credentials is anonymous. Bad settings throw <see cref="Cli.KubeconfigException"/> (one line).
    /// </summary>
    public static KubeApiClient Connect(string? kubeconfig = null, string? context = null, RetryPolicy? retry = null) =>
        Cli.KubeconfigResolver.Connect(kubeconfig, context, retry);

    /// <summary>Sends one request, retrying transient failures; throws <see cref="KubeApiException"/> when they persist.</summary>
    /// <param name="method">HTTP method.</param>
    /// <param name="pathAndQuery">Path from the server root, with query.</param>
    /// <param name="what">The operation in words, for errors ("apply Deployment ipfs/ipfs").</param>
    /// <param name="body">JSON body, if any.</param>
    /// <param name="contentType">Its content type.</param>
    /// <param name="redact">Applied to every message of the API before it is shown.</param>
    /// <param name="cancellation">Cancels the request and the retries.</param>
    public Task<ApiAnswer> SendAsync(HttpMethod method, string pathAndQuery, string what, string? body = null, string contentType = "application/json", Func<string, string>? redact = null, CancellationToken cancellation = default) =>
        SendCoreAsync(method, pathAndQuery, what, body is null ? null : Encoding.UTF8.GetBytes(body), contentType, redact, document: false, cancellation);

    /// <summary>
    /// <see cref="SendAsync"/> with a JSON body written as UTF-8 straight from its tree (no string of it). When
    /// <paramref name="successBody"/> is false a 2xx answer's body is not parsed (<see cref="ApiAnswer.Body"/> is
    /// null): an apply whose answer nobody reads. Any other answer is parsed as <see cref="SendAsync"/>'s.
    /// </summary>
    internal Task<ApiAnswer> SendJsonAsync(HttpMethod method, string pathAndQuery, string what, JsonNode body, string contentType, Func<string, string>? redact, bool successBody, CancellationToken cancellation) =>
        SendCoreAsync(method, pathAndQuery, what, Utf8(body), contentType, redact, document: false, cancellation, successBody: successBody);

    /// <summary>The bytes of <see cref="JsonNode.ToJsonString"/> without the string between.</summary>
    private static ReadOnlyMemory<byte> Utf8(JsonNode body)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            body.WriteTo(writer);
        }
        return buffer.WrittenMemory;
    }

    /// <summary>
    /// A GET as <see cref="SendAsync"/> that asks for the metadata of the objects only (<c>meta.k8s.io/v1</c>
    /// <c>PartialObjectMetadataList</c>, as client-go's metadata client asks; plain JSON from a server that
    /// does not serve it): the labels and annotations of a list without the data of its objects.
    /// </summary>
    internal Task<ApiAnswer> GetMetadataAsync(string pathAndQuery, string what, CancellationToken cancellation) =>
        SendCoreAsync(HttpMethod.Get, pathAndQuery, what, null, "application/json", null, document: false, cancellation,
            accept: "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json");

    /// <summary>
    /// A GET as <see cref="SendAsync"/> whose 2xx answer is kept as parsed (<see cref="ApiAnswer.Document"/>, null when
    /// it is no JSON) instead of a <see cref="JsonNode"/> tree (the answer's body is then null): for lists of thousands
    /// of objects that are read once. Any other answer is as <see cref="SendAsync"/>'s.
    /// </summary>
    internal Task<ApiAnswer> GetDocumentAsync(string pathAndQuery, string what, Func<string, string>? redact, CancellationToken cancellation) =>
        SendCoreAsync(HttpMethod.Get, pathAndQuery, what, null, "application/json", redact, document: true, cancellation);

    // The public and internal sends above return this method's task as it is: each async method of its own
    // would be one more state machine for a cold process's JIT to compile (a dozen methods each).
    private async Task<ApiAnswer> SendCoreAsync(HttpMethod method, string pathAndQuery, string what, ReadOnlyMemory<byte>? body, string contentType,
        Func<string, string>? redact, bool document, CancellationToken cancellation, string accept = "application/json", bool successBody = true)
    {
        redact ??= s => s;
        var uri = new Uri(_base, pathAndQuery.TrimStart('/'));
        for (var attempt = 1; ; attempt++)
        {
            string problem;
            TimeSpan? retryAfter = null;
            using (var request = new HttpRequestMessage(method, uri))
            {
                request.Headers.TryAddWithoutValidation("Accept", accept);
                if (body is { } bytes)
                {
                    request.Content = new ReadOnlyMemoryContent(bytes);
                    request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
                }
                if (_authorize is not null)
                {
                    await _authorize(request, cancellation).ConfigureAwait(false);
                }
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                timeout.CancelAfter(Retry.RequestTimeout);
                Interlocked.Increment(ref _requests);
                try
                {
                    using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
                    // Parsed from the UTF-8 bytes as they came (buffered above): no string of the whole
                    // answer, which for a list of thousands of objects would be megabytes.
                    var content = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
                    if (document && response.IsSuccessStatusCode)
                    {
                        return new ApiAnswer(response.StatusCode, null) { Document = ParseDocument(content) };
                    }
                    if (!successBody && response.IsSuccessStatusCode)
                    {
                        return new ApiAnswer(response.StatusCode, null);
                    }
                    var answer = new ApiAnswer(response.StatusCode, ParseObject(content));
                    var code = (int)response.StatusCode;
                    if (code != 429 && code < 500)
                    {
                        return answer;
                    }
                    problem = Describe(answer, redact);
                    retryAfter = RetryAfter(response);
                    if (attempt >= Retry.MaxAttempts)
                    {
                        throw new KubeApiException($"{what}: the API answered {problem} (after {attempt} attempts)", answer.StatusCode, redact(answer.StatusMessage ?? ""));
                    }
                }
                catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
                {
                    problem = $"no answer within {Retry.RequestTimeout.TotalSeconds:0.###} s";
                    if (attempt >= Retry.MaxAttempts)
                    {
                        throw new KubeApiException($"{what}: {problem} (after {attempt} attempts)", null, problem);
                    }
                }
                catch (HttpRequestException e)
                {
                    problem = $"connection failed ({redact(e.Message)})";
                    if (attempt >= Retry.MaxAttempts)
                    {
                        throw new KubeApiException($"{what}: {problem} (after {attempt} attempts)", null, problem);
                    }
                }
            }
            var delay = retryAfter ?? Backoff(attempt);
            OnRetry?.Invoke(new RetryNotice(what, problem, attempt, Retry.MaxAttempts, delay));
            await Task.Delay(delay, cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>Status code and the API's message in one line.</summary>
    public static string Describe(ApiAnswer answer, Func<string, string>? redact = null)
    {
        var reason = answer.Body?["reason"]?.GetValue<string>();
        var text = $"{(int)answer.StatusCode} {(reason is { Length: > 0 } ? reason : answer.StatusCode.ToString())}";
        var message = answer.StatusMessage;
        return message is { Length: > 0 } ? $"{text}: {(redact ?? (s => s))(message)}" : text;
    }

    private TimeSpan Backoff(int attempt)
    {
        var ms = Retry.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        ms = Math.Min(ms, Retry.MaxDelay.TotalMilliseconds);
        ms *= 0.8 + 0.4 * Random.Shared.NextDouble(); // jitter: clients retrying together spread out
        return TimeSpan.FromMilliseconds(ms);
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        TimeSpan? value = null;
        if (header?.Delta is { } delta)
        {
            value = delta;
        }
        else if (header?.Date is { } date)
        {
            value = date - DateTimeOffset.UtcNow;
        }
        else if (response.Headers.TryGetValues("Retry-After", out var raw)
            && int.TryParse(string.Join("", raw), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
        {
            value = TimeSpan.FromSeconds(seconds);
        }
        if (value is null)
        {
            return null;
        }
        return value < TimeSpan.Zero ? TimeSpan.Zero : value > Retry.MaxRetryAfter ? Retry.MaxRetryAfter : value;
    }

    private static JsonObject? ParseObject(System.IO.Stream body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject; // an empty or blank body is no JSON either
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonDocument? ParseDocument(System.IO.Stream body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_owner is not null)
        {
            _owner.Dispose();
        }
    }
}

/// <summary>The API refused or kept failing; the message names the object and the API's answer (secret values redacted).</summary>
public sealed class KubeApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    public KubeApiException(string message, HttpStatusCode? statusCode, string apiMessage) : base(message)
    {
        StatusCode = statusCode;
        ApiMessage = apiMessage;
    }

    /// <summary>The last HTTP status, or null when no answer came.</summary>
    public HttpStatusCode? StatusCode { get; }
    /// <summary>The API's message (redacted).</summary>
    public string ApiMessage { get; }
}
