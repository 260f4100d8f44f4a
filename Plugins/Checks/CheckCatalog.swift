import CurateKit

/// The checks curate knows, by pack. Shared by the `check` and `fix` plugins.
public enum CheckCatalog {}
