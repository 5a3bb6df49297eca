//! Request and response types of panel.
