namespace Commons.Tools.Hosting;

/// <summary>Where the tools keep their data and read their policy; bound from the <c>Tools</c> configuration section.</summary>
public sealed class ToolsOptions
{
    public const string SectionName = "Tools";

    /// <summary>The SQLite file for notes, tasks and events; default <c>$COMMONS_HOME/tools.db</c>.</summary>
    public string? DatabasePath { get; set; }

    /// <summary>The policies folder holding <c>tools.yaml</c>; default as for the other policies.</summary>
    public string? PoliciesFolder { get; set; }

    /// <summary>The person's time zone (an IANA id such as Europe/Berlin); default the machine's.</summary>
    public string? TimeZone { get; set; }

    /// <summary>False turns tool use off altogether.</summary>
    public bool Enabled { get; set; } = true;
}
