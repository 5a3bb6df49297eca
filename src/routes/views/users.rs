//! Request and response types of users.
