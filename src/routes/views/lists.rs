//! Request and response types of lists.
