using System.Net;
using ChatToSalesforce.Salesforce.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ChatToSalesforce.Resilience.Internal;

/// <summary>The Polly pipelines of the transport, built once from <see cref="SalesforceResilienceOptions"/>.</summary>
/// <remarks>
/// Order (outermost first): total timeout → retry → attempt timeout. <see cref="Retrying"/> is used for requests that are safe
/// to repeat (GET, PATCH, DELETE, and composites/collections without a POST); <see cref="Single"/> for the others (a POST that
/// may have created records is never repeated). Only transient failures are retried: network errors, attempt timeouts and
/// <see cref="SalesforceApiException"/>s with <see cref="SalesforceApiException.IsTransient"/>. Cancellation is never retried.
/// </remarks>
internal sealed class SalesforceResiliencePipelines
{
    public SalesforceResiliencePipelines(IOptions<SalesforceChatExportOptions> options, TimeProvider timeProvider, ILogger<SalesforceResiliencePipelines> logger)
    {
        var r = options.Value.Resilience ?? new SalesforceResilienceOptions();
        Retrying = Build(r, timeProvider, logger, retry: true);
        Single = Build(r, timeProvider, logger, retry: false);
    }

    /// <summary>Gets the pipeline for requests that are safe to repeat.</summary>
    public ResiliencePipeline Retrying { get; }

    /// <summary>Gets the pipeline for requests that must not be repeated (timeouts only).</summary>
    public ResiliencePipeline Single { get; }

    /// <summary>Gets the pipeline for a request.</summary>
    public ResiliencePipeline For(bool retrySafe) => retrySafe ? Retrying : Single;

    /// <summary>Whether a failure is worth another attempt (when the request is safe to repeat).</summary>
    public static bool IsTransient(Exception? exception, CancellationToken callerToken) => exception switch
    {
        null => false,
        SalesforceApiException api => api.IsTransient,
        HttpRequestException => true,
        TimeoutRejectedException => true,
        TransientTokenEndpointException => true,
        OperationCanceledException => !callerToken.IsCancellationRequested, // HttpClient's own timeout, not the caller
        _ => false,
    };

    /// <summary>Maps what escaped the pipeline to the SDK's exceptions; cancellation by the caller is rethrown as is.</summary>
    public static Exception? Translate(Exception exception, string operation, CancellationToken callerToken) => exception switch
    {
        OperationCanceledException when callerToken.IsCancellationRequested => null,
        TimeoutRejectedException or OperationCanceledException => new SalesforceApiException(
            HttpStatusCode.RequestTimeout, "TIMEOUT", $"{operation} timed out (Resilience.AttemptTimeout / TotalTimeout).", isTransient: true, innerException: exception),
        HttpRequestException http => new SalesforceApiException(
            http.StatusCode ?? 0, "NETWORK_ERROR", $"{operation} could not reach Salesforce: {http.HttpRequestError}.", isTransient: true, innerException: exception),
        _ => null,
    };

    private static ResiliencePipeline Build(SalesforceResilienceOptions r, TimeProvider timeProvider, ILogger logger, bool retry)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = timeProvider, Name = retry ? "ChatToSalesforce.Retrying" : "ChatToSalesforce.Single" };
        builder.AddTimeout(r.TotalTimeout > TimeSpan.Zero ? r.TotalTimeout : TimeSpan.FromMinutes(5));
        if (retry && r.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = r.MaxRetryAttempts,
                Delay = r.BaseDelay,
                MaxDelay = r.MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = static args => ValueTask.FromResult(IsTransient(args.Outcome.Exception, args.Context.CancellationToken)),
                OnRetry = args =>
                {
                    var reason = args.Outcome.Exception switch
                    {
                        SalesforceApiException api => $"HTTP {(int)api.StatusCode} {api.ErrorCode}",
                        { } ex => ex.GetType().Name,
                        null => "an unknown outcome",
                    };
                    TransportLog.Retrying(logger, args.AttemptNumber + 1, args.RetryDelay, reason);
                    return default;
                },
            });
        }

        builder.AddTimeout(r.AttemptTimeout > TimeSpan.Zero ? r.AttemptTimeout : TimeSpan.FromSeconds(100));
        return builder.Build();
    }
}

/// <summary>A token endpoint 5xx (inside the pipeline only; surfaced as <see cref="SalesforceAuthenticationException"/>).</summary>
internal sealed class TransientTokenEndpointException : Exception
{
    public TransientTokenEndpointException(int statusCode)
        : base($"The Salesforce token endpoint answered HTTP {statusCode}.")
    {
        StatusCode = statusCode;
    }

    public int StatusCode { get; }
}
