using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using ChatToSalesforce.Testing.Internal;

namespace ChatToSalesforce.Testing;

/// <summary>
/// An in-memory Salesforce org that answers the REST API subset the SDK uses, with Salesforce's response shapes and
/// error codes: OAuth token endpoint, SOQL, sObjects, upsert by external id, composite, collections, describe, files,
/// validation and duplicate rules, API limits and fault injection. Use it in-process through <see cref="CreateHandler"/>
/// or over HTTP on 127.0.0.1 through <see cref="StartServerAsync"/>. Thread-safe.
/// </summary>
public sealed partial class SalesforceEmulator : IAsyncDisposable, IDisposable
{
    /// <summary>The instance URL used when no server runs and no <see cref="SalesforceEmulatorOptions.InstanceUrl"/> is set.</summary>
    public static readonly Uri DefaultInstanceUrl = new("https://emulator.my.salesforce.com");

    private readonly object _gate = new();

    /// <summary>The API's requests take <see cref="_gate"/> one at a time, queued here asynchronously (see <c>ProcessAsync</c>).</summary>
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly SalesforceEmulatorOptions _options;
    private readonly Uri _defaultInstanceUrl;
    private readonly OrgState _org;
    private readonly RestApi _api;
    private readonly OAuthServer _oauth;
    private readonly Queue<EmulatorRequest> _log = new();
    private LoopbackServer? _server;
    private long _apiCalls;
    private long _unexpectedErrors;

    /// <summary>Creates an org with the standard objects and an active integration user.</summary>
    /// <param name="options">Settings; <see langword="null"/> for the defaults.</param>
    public SalesforceEmulator(SalesforceEmulatorOptions? options = null)
        : this(options ?? new SalesforceEmulatorOptions(), orgNumber: 1, defaultInstanceUrl: DefaultInstanceUrl)
    {
    }

    /// <summary>Creates org number <paramref name="orgNumber"/> (its org id and id block) with the given in-process instance URL (a cluster's orgs).</summary>
    internal SalesforceEmulator(SalesforceEmulatorOptions options, int orgNumber, Uri defaultInstanceUrl)
    {
        _options = options;
        _defaultInstanceUrl = defaultInstanceUrl;
        _org = new OrgState(_options.TimeProvider, orgNumber);
        _api = new RestApi(_org, () => _options.QueryBatchSize, () => (Interlocked.Read(ref _apiCalls), _options.DailyApiLimit));
        var userId = SalesforceId.Create("005", _org.IdBase + 1);
        _org.Save(_org.Object("User")!, new JsonObject
        {
            ["Id"] = userId,
            ["Username"] = _options.IntegrationUsername,
            ["Email"] = _options.IntegrationUsername,
            ["FirstName"] = "Integration",
            ["LastName"] = "User",
            ["Alias"] = "integ",
            ["IsActive"] = true,
        }, null, new SaveOptions { UserId = userId, System = true });
        IntegrationUserId = userId;
        IntegrationUsername = _options.IntegrationUsername;
        _oauth = new OAuthServer(_options, _org, () => InstanceUrl) { IntegrationUserId = userId };
        Faults = new EmulatorFaults();
    }

    /// <summary>Creates an emulator and loads a seed file (objects, fields, duplicate rules, clients, settings and records).</summary>
    /// <param name="path">The seed file (JSON; see docs/emulator.md).</param>
    /// <param name="options">Settings; <see langword="null"/> for the defaults.</param>
    /// <exception cref="EmulatorSeedException">The file is missing, is not valid JSON or describes something invalid; the message names the file, the line (for syntax errors) and the reason.</exception>
    public static SalesforceEmulator FromSeedFile(string path, SalesforceEmulatorOptions? options = null)
    {
        var emulator = new SalesforceEmulator(options);
        try
        {
            SeedLoader.Load(emulator, path);
            return emulator;
        }
        catch
        {
            emulator.Dispose();
            throw;
        }
    }

    /// <summary>Loads a seed file into this org (objects, fields, duplicate rules, clients, settings and records), e.g. into each org of a <see cref="SalesforceEmulatorCluster"/>.</summary>
    /// <param name="path">The seed file (JSON; see docs/emulator.md).</param>
    /// <exception cref="EmulatorSeedException">The file is missing, is not valid JSON or describes something invalid; the message names the file, the line (for syntax errors) and the reason.</exception>
    public void LoadSeedFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        SeedLoader.Load(this, path);
    }

    /// <summary>The org's instance URL: the loopback base URL while the server runs, otherwise <see cref="SalesforceEmulatorOptions.InstanceUrl"/> or <see cref="DefaultInstanceUrl"/> (for an org of a <see cref="SalesforceEmulatorCluster"/>, <c>https://{name}.my.salesforce.com</c>).</summary>
    public Uri InstanceUrl => _server?.BaseUrl ?? _options.InstanceUrl ?? _defaultInstanceUrl;

    /// <summary>The 18-character organization id (prefix 00D).</summary>
    public string OrganizationId => _org.OrganizationId;

    /// <summary>The active User created at start: the "connecting user" of client-credentials tokens and the default owner.</summary>
    public string IntegrationUserId { get; }

    /// <summary>Fault injection rules and the random failure rate.</summary>
    public EmulatorFaults Faults { get; }

    /// <summary>Added latency per request (Task.Delay outside the org lock, honoring cancellation).</summary>
    public TimeSpan Latency
    {
        get => _options.Latency;
        set => _options.Latency = value;
    }

    /// <summary>The daily API allocation; requests beyond it answer 403 REQUEST_LIMIT_EXCEEDED.</summary>
    public long DailyApiLimit
    {
        get => _options.DailyApiLimit;
        set => _options.DailyApiLimit = value;
    }

    /// <summary>API calls counted so far (token requests and GET /services/data do not count; composite and collections count once).</summary>
    public long ApiCallsUsed => Interlocked.Read(ref _apiCalls);

    /// <summary>Records per query page before nextRecordsUrl is used (the Sforce-Query-Options batchSize header overrides it, within 200-2000).</summary>
    public int QueryBatchSize
    {
        get => _options.QueryBatchSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _options.QueryBatchSize = value;
        }
    }

    /// <summary>How many requests ended in an unexpected emulator error (500 UNKNOWN_EXCEPTION). Should stay 0.</summary>
    public long UnexpectedErrors => Interlocked.Read(ref _unexpectedErrors);

    /// <summary>A snapshot of the requests answered so far, oldest first (at most <see cref="SalesforceEmulatorOptions.RequestLogCapacity"/>, the most recent).</summary>
    public IReadOnlyList<EmulatorRequest> RequestLog
    {
        get
        {
            lock (_gate)
            {
                return [.. _log];
            }
        }
    }

    /// <summary>Clears the request log.</summary>
    public void ClearRequestLog()
    {
        lock (_gate)
        {
            _log.Clear();
        }
    }

    /// <summary>Resets the API call counter to 0 (the start of a new 24-hour window).</summary>
    public void ResetApiUsage() => Interlocked.Exchange(ref _apiCalls, 0);

    /// <summary>Creates a message handler that answers every request in-process, whatever the host in the URL.</summary>
    /// <returns>A new handler; dispose it with the HttpClient that owns it.</returns>
    public HttpMessageHandler CreateHandler() => new EmulatorHttpHandler(this);

    /// <summary>Starts the loopback HTTP/1.1 server on 127.0.0.1; from then on <see cref="InstanceUrl"/> is its base URL.</summary>
    /// <param name="port">The port, or 0 for any free port.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The base URL, e.g. <c>http://127.0.0.1:5123</c>.</returns>
    public Task<Uri> StartServerAsync(int port = 0, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_server is not null)
        {
            throw new InvalidOperationException("The server is already running.");
        }

        return Task.FromResult(StartServer(port));
    }

    /// <summary>Whether the loopback server runs.</summary>
    internal bool IsServing => Volatile.Read(ref _server) is not null;

    /// <summary>Starts the loopback server (synchronously: binding is immediate).</summary>
    internal Uri StartServer(int port)
    {
        var server = new LoopbackServer(this);
        server.Start(port);
        if (Interlocked.CompareExchange(ref _server, server, null) is not null)
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw new InvalidOperationException("The server is already running.");
        }

        return server.BaseUrl;
    }

    /// <summary>Stops the loopback server if it runs.</summary>
    /// <returns>A task that completes when the server stopped.</returns>
    public async Task StopServerAsync()
    {
        var server = Interlocked.Exchange(ref _server, null);
        if (server is not null)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Inserts a record directly (no API call counted, no duplicate rules; read-only fields and an explicit Id are allowed).</summary>
    /// <param name="objectType">The sObject type, e.g. <c>Contact</c>.</param>
    /// <param name="fields">An object whose public properties are field names and values (e.g. an anonymous object).</param>
    /// <returns>The new record id.</returns>
    /// <exception cref="InvalidOperationException">Salesforce's rules rejected the record; the message carries the error code.</exception>
    public string Insert(string objectType, object fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return Insert(objectType, ToDictionary(fields));
    }

    /// <summary>Inserts a record directly (no API call counted, no duplicate rules; read-only fields and an explicit Id are allowed).</summary>
    /// <param name="objectType">The sObject type, e.g. <c>Contact</c>.</param>
    /// <param name="fields">Field names and values.</param>
    /// <returns>The new record id.</returns>
    /// <exception cref="InvalidOperationException">Salesforce's rules rejected the record; the message carries the error code.</exception>
    public string Insert(string objectType, IDictionary<string, object?> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        lock (_gate)
        {
            var def = _org.Object(objectType) ?? throw new ArgumentException($"No such object '{objectType}'.", nameof(objectType));
            var outcome = _org.Save(def, ToJson(fields), null, new SaveOptions { UserId = IntegrationUserId, System = true });
            return outcome.Success ? outcome.Record!.Id : throw Rejected(outcome.Errors);
        }
    }

    /// <summary>Updates a record directly (no API call counted; read-only fields such as Lead.IsConverted or User.IsActive are allowed).</summary>
    /// <param name="id">The record id.</param>
    /// <param name="fields">An object whose public properties are field names and values, or an <see cref="IDictionary{TKey,TValue}"/>.</param>
    /// <exception cref="InvalidOperationException">The record does not exist or Salesforce's rules rejected the change.</exception>
    public void Update(string id, object fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        lock (_gate)
        {
            var record = _org.Get(id) ?? throw new InvalidOperationException($"No record with id '{id}'.");
            var values = fields as IDictionary<string, object?> ?? ToDictionary(fields);
            var outcome = _org.Save(record.Def, ToJson(values), record, new SaveOptions { UserId = IntegrationUserId, System = true });
            if (!outcome.Success)
            {
                throw Rejected(outcome.Errors);
            }
        }
    }

    /// <summary>A snapshot of the live (not deleted) records of a type, as Salesforce would return them (attributes and every field).</summary>
    /// <param name="objectType">The sObject type.</param>
    /// <returns>The records in creation order.</returns>
    public IReadOnlyList<JsonObject> Records(string objectType)
    {
        lock (_gate)
        {
            var store = _org.Store(objectType) ?? throw new ArgumentException($"No such object '{objectType}'.", nameof(objectType));
            return store.All.Where(r => !r.IsDeleted).Select(r => OrgState.ToJson(r, RestVersion.Default)).ToList();
        }
    }

    /// <summary>Finds a live record by id (15 or 18 characters).</summary>
    /// <param name="objectType">The sObject type.</param>
    /// <param name="id">The record id.</param>
    /// <returns>The record, or <see langword="null"/>.</returns>
    public JsonObject? Find(string objectType, string id)
    {
        lock (_gate)
        {
            var record = _org.Get(id);
            return record is null || record.IsDeleted || !string.Equals(record.Def.Name, objectType, StringComparison.OrdinalIgnoreCase)
                ? null
                : OrgState.ToJson(record, RestVersion.Default);
        }
    }

    /// <summary>Declares a custom object (name ending in <c>__c</c>) with a <c>Name</c> field, the system fields, an owner and the given fields.</summary>
    /// <param name="name">The API name, e.g. <c>Chat_Transcript__c</c>.</param>
    /// <param name="fields">Its custom fields.</param>
    /// <returns>The object's 3-character key prefix (a00, a01, ...).</returns>
    public string DefineObject(string name, params EmulatorField[] fields) => DefineObject(name, null, fields);

    /// <summary>Declares a custom object with a label.</summary>
    /// <param name="name">The API name, e.g. <c>Chat_Transcript__c</c>.</param>
    /// <param name="label">The label; defaults to the name without <c>__c</c>.</param>
    /// <param name="fields">Its custom fields.</param>
    /// <returns>The object's 3-character key prefix.</returns>
    public string DefineObject(string name, string? label, IEnumerable<EmulatorField> fields)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(fields);
        lock (_gate)
        {
            return _org.DefineObject(name, label, null, fields).KeyPrefix;
        }
    }

    /// <summary>Adds a custom field (name ending in <c>__c</c>) to a standard or custom object. External id, unique and email fields are indexed.</summary>
    /// <param name="objectType">The object.</param>
    /// <param name="field">The field.</param>
    public void DefineField(string objectType, EmulatorField field)
    {
        ArgumentNullException.ThrowIfNull(field);
        lock (_gate)
        {
            _org.DefineField(objectType, field);
        }
    }

    /// <summary>Adds a duplicate rule: a new or changed record whose values for all <paramref name="matchFields"/> equal (case-insensitively) an existing record's answers DUPLICATES_DETECTED.</summary>
    /// <param name="objectType">The object.</param>
    /// <param name="action">Block, or Alert (bypassed with <c>Sforce-Duplicate-Rule-Header: allowSave=true</c>).</param>
    /// <param name="matchFields">The fields of the matching rule.</param>
    public void AddDuplicateRule(string objectType, DuplicateRuleAction action, params string[] matchFields)
    {
        ArgumentNullException.ThrowIfNull(matchFields);
        lock (_gate)
        {
            _org.AddDuplicateRule(objectType, action, matchFields);
        }
    }

    /// <summary>
    /// Turns on Person Accounts, as an org can (once, for good): Account gains <c>IsPersonAccount</c>, <c>FirstName</c>,
    /// <c>LastName</c>, <c>PersonEmail</c>, <c>PersonContactId</c> and the other <c>Person*</c> fields, and <c>X__pc</c> for each
    /// custom Contact field <c>X__c</c>. An Account created with <c>LastName</c> is a person account with its own Contact
    /// (<c>PersonContactId</c>, <c>IsPersonAccount = true</c>) kept in step with the account.
    /// </summary>
    public void EnablePersonAccounts()
    {
        lock (_gate)
        {
            _org.EnablePersonAccounts();
        }
    }

    /// <summary>
    /// Field-level security for the connecting users: makes a standard or custom field read-only, so describe reports it
    /// as neither createable nor updateable and an API write answers INVALID_FIELD_FOR_INSERT_UPDATE, as Salesforce does
    /// for a field that is read-only for the integration user's profile. <see cref="Insert(string, object)"/> and
    /// <see cref="Update"/> can still set it.
    /// </summary>
    /// <param name="objectType">The object.</param>
    /// <param name="fieldName">The field.</param>
    /// <exception cref="ArgumentException">The object or field does not exist, or is a system field.</exception>
    public void MakeFieldReadOnly(string objectType, string fieldName)
    {
        lock (_gate)
        {
            _org.MakeFieldReadOnly(objectType, fieldName);
        }
    }

    /// <summary>Adds a record type to an object (a <c>RecordType</c> record, and <c>RecordTypeId</c> on the object's records).</summary>
    /// <param name="objectType">The object.</param>
    /// <param name="recordType">The record type and its picklist values.</param>
    /// <returns>The record type id (prefix 012).</returns>
    /// <exception cref="ArgumentException">The object or a picklist field does not exist, or the developer name is taken.</exception>
    public string AddRecordType(string objectType, EmulatorRecordType recordType)
    {
        ArgumentNullException.ThrowIfNull(recordType);
        lock (_gate)
        {
            return _org.AddRecordType(objectType, recordType, IntegrationUserId);
        }
    }

    /// <summary>Adds an entry to the Lead or Case assignment rule; entries apply in the order added (first match sets the owner).</summary>
    /// <param name="objectType"><c>Lead</c> or <c>Case</c>.</param>
    /// <param name="rule">The entry: criteria and the owner.</param>
    /// <exception cref="ArgumentException">The object is not Lead or Case, a field does not exist, or the owner is not a user.</exception>
    public void AddAssignmentRule(string objectType, EmulatorAssignmentRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        lock (_gate)
        {
            _org.AddAssignmentRule(objectType, rule);
        }
    }

    /// <summary>Adds a declarative validation rule (required-when, pattern, length) answering FIELD_CUSTOM_VALIDATION_EXCEPTION.</summary>
    /// <param name="objectType">The object.</param>
    /// <param name="rule">The rule.</param>
    /// <exception cref="ArgumentException">The object or a field the rule names does not exist, or the pattern is not a valid regular expression.</exception>
    public void AddValidationRule(string objectType, EmulatorValidationRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        lock (_gate)
        {
            _org.AddValidationRule(objectType, rule);
        }
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopServerAsync().ConfigureAwait(false);

    // ---------- helpers ----------

    /// <summary>The org as a seed file (for the dashboard's export).</summary>
    internal JsonObject ExportSeed()
    {
        lock (_gate)
        {
            return SeedExporter.Export(_org, _options.DailyApiLimit, _options.QueryBatchSize, IntegrationUserId, _options.TimeProvider.GetUtcNow());
        }
    }

    internal void WithLock(Action<OrgState> action)
    {
        lock (_gate)
        {
            action(_org);
        }
    }

    private string ValidUser(string? userId)
    {
        var id = userId ?? IntegrationUserId;
        var user = _org.Get(id);
        if (user is null || user.Def.Name != "User")
        {
            throw new ArgumentException($"No User with id '{id}'.", nameof(userId));
        }

        return user.Id;
    }

    private static InvalidOperationException Rejected(IReadOnlyList<ApiError> errors) =>
        new(string.Join("; ", errors.Select(e => $"{e.Code}: {e.Message}")));

    private static Dictionary<string, object?> ToDictionary(object fields)
    {
        if (fields is IDictionary<string, object?> dictionary)
        {
            return new Dictionary<string, object?>(dictionary, StringComparer.OrdinalIgnoreCase);
        }

        var result = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in fields.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            result[property.Name] = property.GetValue(fields);
        }

        return result;
    }

    internal static JsonObject ToJson(IDictionary<string, object?> fields)
    {
        var o = new JsonObject();
        foreach (var (key, value) in fields)
        {
            o[key] = value switch
            {
                null => null,
                JsonNode node => node.DeepClone(),
                string s => s,
                bool b => b,
                int i => i,
                long l => l,
                double d => d,
                decimal m => m,
                float f => f,
                DateTimeOffset dto => OrgState.FormatDateTime(dto),
                DateTime dt => OrgState.FormatDateTime(new DateTimeOffset(DateTime.SpecifyKind(dt, dt.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : dt.Kind))),
                DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                byte[] bytes => Convert.ToBase64String(bytes),
                IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString(),
            };
        }

        return o;
    }
}
