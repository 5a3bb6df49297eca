//! Use cases of the rounds aggregate.
