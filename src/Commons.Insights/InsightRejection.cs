namespace Commons.Insights;

/// <summary>Why the strict parser rejected an artifact.</summary>
public enum InsightRejection
{
    /// <summary>Not well-formed JSON, not an object, or a field given twice.</summary>
    MalformedJson,

    /// <summary>The <c>schema</c> is not <c>commons.insight/v1</c>.</summary>
    UnknownSchema,

    /// <summary>A field v1 does not define.</summary>
    UnknownField,

    /// <summary>A required field is absent.</summary>
    MissingField,

    /// <summary>A field or the whole artifact is larger than v1 allows.</summary>
    Oversize,

    /// <summary>A field has the wrong type, format or value.</summary>
    InvalidField,

    /// <summary>The <c>id</c> is not the sha256 of the canonical body.</summary>
    IdMismatch,

    /// <summary>The Ed25519 signature does not verify against the contributor key.</summary>
    BadSignature,

    /// <summary>The artifact's <c>expires</c> time has passed.</summary>
    Expired,
}
