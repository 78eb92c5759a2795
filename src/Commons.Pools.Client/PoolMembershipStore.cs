using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Commons.Abstractions.Hosting;
using Commons.Insights;

namespace Commons.Pools.Client;

/// <summary>
/// The pools a person has joined, in <c>$COMMONS_HOME/pools/</c>: <c>pools.json</c> and one private key
/// file per pool (a separate key per pool, so pools cannot link a member across pools).
/// </summary>
public sealed class PoolMembershipStore(CommonsHome home)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Folder => Path.Combine(home.Root, "pools");

    private string FilePath => Path.Combine(Folder, "pools.json");

    public IReadOnlyList<PoolMembership> List()
    {
        if (!File.Exists(FilePath))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<PoolMembership>>(File.ReadAllText(FilePath), Json) ?? [];
        }
        catch (JsonException ex)
        {
            throw new CommonsException($"The pool list {FilePath} is damaged: {ex.Message}", ex);
        }
    }

    public PoolMembership? Find(string url) => List().FirstOrDefault(m => m.Url == Normalise(url));

    /// <summary>The member key for a pool about to be joined, created (and saved, owner-only) on first use.</summary>
    public ContributorKey KeyFor(string url, out string keyFile)
    {
        keyFile = Path.Combine(Folder, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Normalise(url))))[..16] + ".key");
        if (!File.Exists(keyFile))
        {
            using var created = ContributorKey.Create();
            ContributorKeyFile.TryCreate(keyFile, created);
        }

        return Read(keyFile);
    }

    /// <summary>
    /// The key a pool admitted: never a new one (the pool would not know it). A missing file says to join again.
    /// </summary>
    public static ContributorKey KeyOf(PoolMembership membership)
    {
        ArgumentNullException.ThrowIfNull(membership);
        if (!File.Exists(membership.KeyFile))
        {
            throw new CommonsException($"The member key {membership.KeyFile} for {membership.Url} is missing; join again with 'commons pool join {membership.Url} --invite TOKEN'.");
        }

        return Read(membership.KeyFile);
    }

    private static ContributorKey Read(string keyFile)
    {
        try
        {
            return ContributorKeyFile.Read(keyFile);
        }
        catch (InvalidDataException ex)
        {
            throw new CommonsException($"The member key {keyFile} {ex.Message}.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CommonsException($"The member key {keyFile} cannot be used: {ex.Message}", ex);
        }
    }

    public void Save(PoolMembership membership)
    {
        ArgumentNullException.ThrowIfNull(membership);
        var all = List().Where(m => m.Url != membership.Url).Append(membership).OrderBy(m => m.Url, StringComparer.Ordinal).ToList();
        Directory.CreateDirectory(Folder);
        var temporary = FilePath + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(all, Json));
        File.Move(temporary, FilePath, overwrite: true);
    }

    /// <summary>A pool URL without a trailing slash, as it is stored.</summary>
    public static string Normalise(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new CommonsException($"{url} is not a pool URL (http:// or https://).");
        }

        return uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }
}
