namespace Commons.Tools.Plugins;

/// <summary>Units for date arithmetic.</summary>
public enum TimeUnit
{
    Minutes,
    Hours,
    Days,
    Weeks,
    Months,
    Years,
}
