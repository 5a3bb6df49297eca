//! Sentences for people, as catalogue ids with their arguments.
//!
//! The rules say what is wrong as a [`Msg`] — `msg!("field-blank")`,
//! `msg!("field-between", min = 1, max = 50)` — and the service renders it in the reader's
//! language from its message catalogues (`i18n/*.ftl`, `src/i18n.rs`) when it is shown. This
//! crate has no catalogue and no Fluent: a `Msg` here is only the id and the arguments, so the
//! rules stay pure and nothing they say is built by concatenation in one language.
//!
//! `Msg` deliberately has no `Display`: a text for people is rendered by the caller, in a
//! language; code that needs the id (tests, logs) reads [`Msg::id`] and [`Msg::arg`].

/// A sentence for a person: a catalogue id and its arguments, or a text written elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    /// A catalogue message with its arguments (texts, already formatted: ids, codes, numbers,
    /// dates).
    Catalogue {
        id: &'static str,
        args: Vec<(&'static str, String)>,
    },
    /// A text written elsewhere (a parser's message, a person's note), shown as is in every
    /// language.
    Raw(String),
}

impl Msg {
    /// The catalogue id; `None` for a raw text.
    pub fn id(&self) -> Option<&'static str> {
        match self {
            Msg::Catalogue { id, .. } => Some(id),
            Msg::Raw(_) => None,
        }
    }

    /// The argument named `name`, if the message has it.
    pub fn arg(&self, name: &str) -> Option<&str> {
        match self {
            Msg::Catalogue { args, .. } => args
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.as_str()),
            Msg::Raw(_) => None,
        }
    }

    /// The raw text, if it is one.
    pub fn raw(&self) -> Option<&str> {
        match self {
            Msg::Raw(text) => Some(text),
            Msg::Catalogue { .. } => None,
        }
    }

    /// The id and arguments as one line for logs and test failures (`field-between(min=1,
    /// max=50)`), never for people.
    pub fn debug_line(&self) -> String {
        match self {
            Msg::Raw(text) => text.clone(),
            Msg::Catalogue { id, args } if args.is_empty() => (*id).to_owned(),
            Msg::Catalogue { id, args } => {
                let args: Vec<String> = args.iter().map(|(k, v)| format!("{k}={v}")).collect();
                format!("{id}({})", args.join(", "))
            }
        }
    }
}

/// A catalogue message: `msg!("field-between", min = 1, max = 50)`; every argument is kept as
/// its `Display` text.
#[macro_export]
macro_rules! msg {
    ($id:literal $(, $k:ident = $v:expr)* $(,)?) => {
        $crate::msg::Msg::Catalogue {
            id: $id,
            args: vec![$((stringify!($k), ::std::string::ToString::to_string(&$v))),*],
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_keeps_its_id_and_arguments() {
        let m = crate::msg!("field-between", min = 1, max = 50);
        assert_eq!(m.id(), Some("field-between"));
        assert_eq!(m.arg("min"), Some("1"));
        assert_eq!(m.arg("max"), Some("50"));
        assert_eq!(m.arg("other"), None);
        assert_eq!(m.debug_line(), "field-between(min=1, max=50)");
        assert_eq!(crate::msg!("field-blank").debug_line(), "field-blank");
        let raw = Msg::Raw("expected value at line 1".to_owned());
        assert_eq!(raw.raw(), Some("expected value at line 1"));
        assert_eq!(raw.id(), None);
    }
}
