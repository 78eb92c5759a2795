namespace Commons.Abstractions.Learning;

/// <summary>Add a new entry, edit an entry's advice, or retire an entry.</summary>
public enum PlaybookDeltaKind
{
    Add = 0,
    Edit = 1,
    Retire = 2,
}
