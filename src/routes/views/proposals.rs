//! Request and response types of proposals.
