//! Request and response types of selection.
