//! What can go wrong in the site. Handlers turn an error into the 500 page (the details go to
//! the log, never to the reader).

/// What went wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The store failed.
    #[error("store: {0}")]
    Store(#[from] marketdesk_store::Error),
    /// A template failed to render.
    #[error("rendering a page: {0}")]
    Render(#[from] askama::Error),
    /// The shipped personas do not read.
    #[error("personas: {0}")]
    Persona(#[from] marketdesk_writer::PersonaError),
    /// A stored article's JSON does not read back as an article.
    #[error("article {slug} in the store does not read back: {source}")]
    Article {
        /// The article.
        slug: String,
        /// Why.
        source: serde_json::Error,
    },
    /// A JSON document (feed, JSON-LD) could not be written.
    #[error("writing JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: String,
        /// Why.
        source: std::io::Error,
    },
    /// The SMTP transport could not be set up.
    #[error("mail: {0}")]
    Mail(#[from] marketdesk_mailer::TransportError),
    /// The newsletter failed.
    #[error("newsletter: {0}")]
    Newsletter(#[from] marketdesk_newsletter::Error),
    /// The DKIM key does not read.
    #[error("newsletter DKIM key: {0}")]
    Dkim(#[from] marketdesk_mailer::DkimError),
    /// Links would be signed with a key that dies with the process.
    #[error("no secret to sign newsletter links with")]
    NoSecret,
    /// The server stopped with an error.
    #[error("server: {0}")]
    Serve(std::io::Error),
}

/// The site's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
