//! Request and response types of reference.
