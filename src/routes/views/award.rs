//! Request and response types of award.
