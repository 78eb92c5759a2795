namespace Commons.Community.Pooling;

/// <summary>The pool policy's robust-aggregation terms.</summary>
public sealed record AggregationSettings(int CapPerContributor, double TrimFraction, bool Median, double OutlierDistance);
