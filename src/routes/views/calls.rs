//! Request and response types of calls.
