//! The optional model writer: any OpenAI-compatible chat-completions endpoint. The prompt
//! carries the persona and the fact sheet; a draft is accepted only when [`crate::verify`] finds
//! nothing, is retried once with the violations listed, and otherwise replaced by the
//! deterministic article. This module is the writer crate's one edge with I/O.

use std::time::Duration;

use jiff::civil::Date;
use marketdesk_linker::Linker;
use serde::Deserialize;
use serde_json::json;

use crate::{
    Draft, FactSheet, Persona, SectionRole, Violation, section_roles, verify, write_deterministic,
};

/// Where the model is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LlmConfig {
    /// The API root, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:11434/v1`.
    pub base_url: String,
    /// The model name.
    pub model: String,
    /// Sent as a bearer token when set.
    pub api_key: Option<String>,
    /// Per request.
    pub timeout: Duration,
    /// Attempts per request when the server answers 429 or 5xx.
    pub attempts: u32,
}

impl LlmConfig {
    /// From `MARKETDESK_LLM_BASE_URL`, `MARKETDESK_LLM_MODEL`, `MARKETDESK_LLM_API_KEY` and
    /// `MARKETDESK_LLM_TIMEOUT_SECS` (default 60) through `var`; `None` unless the first two
    /// are set.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Option<Self> {
        let base_url = var("MARKETDESK_LLM_BASE_URL").filter(|v| !v.trim().is_empty())?;
        let model = var("MARKETDESK_LLM_MODEL").filter(|v| !v.trim().is_empty())?;
        Some(LlmConfig {
            base_url: base_url.trim_end_matches('/').to_owned(),
            model,
            api_key: var("MARKETDESK_LLM_API_KEY").filter(|v| !v.is_empty()),
            timeout: Duration::from_secs_f64(
                var("MARKETDESK_LLM_TIMEOUT_SECS")
                    .and_then(|v| v.trim().parse::<f64>().ok())
                    .filter(|s| s.is_finite() && *s > 0.0)
                    .unwrap_or(60.0),
            ),
            attempts: 3,
        })
    }
}

/// Why a model call gave no draft.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LlmError {
    /// The server answered with an error status (after retries for 429 and 5xx).
    #[error("the model server answered HTTP {0}")]
    Status(u16),
    /// No answer in time.
    #[error("the model server did not answer within {0:?}")]
    Timeout(Duration),
    /// The connection failed.
    #[error("cannot reach the model server: {0}")]
    Transport(String),
    /// The answer was not a chat completion holding a draft.
    #[error("malformed answer: {0}")]
    Malformed(String),
}

/// A chat-completions client.
#[derive(Debug, Clone)]
pub struct LlmWriter {
    client: reqwest::Client,
    config: LlmConfig,
}

/// What writing one article with the model came to.
#[derive(Debug)]
pub struct Outcome {
    /// The accepted draft.
    pub draft: Draft,
    /// `llm:<model>` or `deterministic`.
    pub writer: String,
    /// Why drafts were rejected or calls failed, in order.
    pub notes: Vec<String>,
}

/// The headings a draft must have, in order.
fn headings(persona: &Persona, roles: &[SectionRole]) -> Vec<String> {
    roles.iter().map(|r| persona.heading(*r).to_owned()).collect()
}

/// The chat messages for a draft; `violations` from a rejected first draft are listed.
pub fn messages(
    persona: &Persona,
    sheet: &FactSheet,
    roles: &[SectionRole],
    violations: &[String],
) -> serde_json::Value {
    let system = format!(
        "You are {name}, an AI writing agent of the marketdesk newsroom. {tagline}\n\
         Write a news analysis article using ONLY the facts in the fact sheet the user gives. \
         Every number, ticker, company, person and date you write must be in the fact sheet or \
         computed from it; do not add outside knowledge, prices, quotes or people. Write numbers \
         in newsroom style ($9.9 million, 12,500 shares, 3.1%). Offer considerations, never \
         investment instructions or advice. Never claim to be human.\n\
         Answer with one JSON object and nothing else: {{\"headline\": string, \"dek\": string, \
         \"sections\": [{{\"heading\": string, \"paragraphs\": [string]}}]}} with exactly these \
         section headings, in order: {headings}.",
        name = persona.name,
        tagline = persona.tagline,
        headings = serde_json::to_string(&headings(persona, roles)).unwrap_or_default(),
    );
    let facts = serde_json::to_string_pretty(sheet).unwrap_or_default();
    let mut user = format!("Fact sheet:\n{facts}");
    if !violations.is_empty() {
        user.push_str(
            "\n\nYour previous draft was rejected because these claims are not in the fact sheet. \
             Rewrite it without them:\n",
        );
        for v in violations {
            user.push_str("- ");
            user.push_str(v);
            user.push('\n');
        }
    }
    json!([
        {"role": "system", "content": system},
        {"role": "user", "content": user},
    ])
}

#[derive(Deserialize)]
struct Completion {
    choices: Vec<Choice>,
}

#[derive(Deserialize)]
struct Choice {
    message: Message,
}

#[derive(Deserialize)]
struct Message {
    content: Option<String>,
}

/// The draft in a chat-completions answer. Models sometimes wrap JSON in a code fence or add
/// a sentence around it; the outermost object is taken.
pub fn parse_reply(body: &str) -> Result<Draft, LlmError> {
    let completion: Completion = serde_json::from_str(body)
        .map_err(|e| LlmError::Malformed(format!("not a chat completion: {e}")))?;
    let content = completion
        .choices
        .into_iter()
        .next()
        .and_then(|c| c.message.content)
        .ok_or_else(|| LlmError::Malformed("no message content".to_owned()))?;
    let (Some(a), Some(b)) = (content.find('{'), content.rfind('}')) else {
        return Err(LlmError::Malformed("the message holds no JSON object".to_owned()));
    };
    let draft: Draft = serde_json::from_str(&content[a..=b])
        .map_err(|e| LlmError::Malformed(format!("the draft is not in the asked shape: {e}")))?;
    if draft.sections.iter().any(|s| s.paragraphs.iter().all(|p| p.trim().is_empty())) {
        return Err(LlmError::Malformed("a section has no text".to_owned()));
    }
    Ok(draft)
}

/// Seconds a 429 or 503 asks to wait, capped: a server may not stall the newsroom.
fn retry_after(headers: &reqwest::header::HeaderMap, attempt: u32) -> Duration {
    let asked = headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    asked.unwrap_or(Duration::from_millis(500 << attempt.min(4))).min(Duration::from_secs(10))
}

impl LlmWriter {
    /// A client for `config`.
    pub fn new(config: LlmConfig) -> Result<Self, LlmError> {
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .user_agent(concat!("marketdesk/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| LlmError::Transport(e.to_string()))?;
        Ok(LlmWriter { client, config })
    }

    /// The model's name.
    pub fn model(&self) -> &str {
        &self.config.model
    }

    /// One draft from the model.
    pub async fn draft(
        &self,
        persona: &Persona,
        sheet: &FactSheet,
        roles: &[SectionRole],
        violations: &[String],
    ) -> Result<Draft, LlmError> {
        let body = json!({
            "model": self.config.model,
            "messages": messages(persona, sheet, roles, violations),
            "temperature": 0.2,
            "response_format": {"type": "json_object"},
        });
        let url = format!("{}/chat/completions", self.config.base_url);
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut request = self.client.post(&url).json_body(&body);
            if let Some(key) = &self.config.api_key {
                request = request.bearer_auth(key);
            }
            let response = match request.send().await {
                Ok(r) => r,
                Err(e) if e.is_timeout() => return Err(LlmError::Timeout(self.config.timeout)),
                Err(e) => return Err(LlmError::Transport(e.to_string())),
            };
            let status = response.status();
            if (status.as_u16() == 429 || status.is_server_error())
                && attempt < self.config.attempts
            {
                tokio::time::sleep(retry_after(response.headers(), attempt)).await;
                continue;
            }
            if !status.is_success() {
                return Err(LlmError::Status(status.as_u16()));
            }
            let text = match response.text().await {
                Ok(t) => t,
                Err(e) if e.is_timeout() => return Err(LlmError::Timeout(self.config.timeout)),
                Err(e) => return Err(LlmError::Transport(e.to_string())),
            };
            return parse_reply(&text);
        }
    }

    /// An article: the model's draft if it passes verification (at most two tries), else the
    /// deterministic one. `None` when the deterministic writer has nothing to write either.
    pub async fn write(
        &self,
        sheet: &FactSheet,
        persona: &Persona,
        published: &[Date],
        linker: Option<&Linker>,
    ) -> Option<Outcome> {
        let fallback = write_deterministic(sheet, persona)?;
        let roles = section_roles(sheet);
        let wanted = headings(persona, roles);
        let mut notes = Vec::new();
        let mut feedback: Vec<String> = Vec::new();
        for _ in 0..2 {
            match self.draft(persona, sheet, roles, &feedback).await {
                Ok(draft) => {
                    let mut problems: Vec<String> = verify(&draft, sheet, published, linker)
                        .iter()
                        .map(Violation::to_string)
                        .collect();
                    let got: Vec<&str> =
                        draft.sections.iter().map(|s| s.heading.as_str()).collect();
                    if got != wanted {
                        problems.push(format!("section headings {got:?} are not {wanted:?}"));
                    }
                    if problems.is_empty() {
                        return Some(Outcome {
                            draft,
                            writer: format!("llm:{}", self.config.model),
                            notes,
                        });
                    }
                    notes.push(format!("draft rejected: {}", problems.join("; ")));
                    feedback = problems;
                }
                Err(e @ LlmError::Malformed(_)) => {
                    notes.push(e.to_string());
                    feedback = vec![format!("{e}; answer with the JSON object only")];
                }
                Err(e) => {
                    notes.push(e.to_string());
                    break;
                }
            }
        }
        Some(Outcome { draft: fallback, writer: "deterministic".to_owned(), notes })
    }
}

/// `RequestBuilder::json` needs reqwest's `json` feature; the body is serialised here instead.
trait JsonBody {
    fn json_body(self, body: &serde_json::Value) -> Self;
}

impl JsonBody for reqwest::RequestBuilder {
    fn json_body(self, body: &serde_json::Value) -> Self {
        self.header(reqwest::header::CONTENT_TYPE, "application/json").body(body.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_are_read_through_fences_and_rejected_when_malformed() {
        let reply = |content: &str| {
            json!({"choices": [{"message": {"role": "assistant", "content": content}}]}).to_string()
        };
        let ok = reply(
            "```json\n{\"headline\": \"H\", \"dek\": \"D\", \"sections\": [{\"heading\": \"What happened\", \"paragraphs\": [\"P\"]}]}\n```",
        );
        assert_eq!(parse_reply(&ok).expect("draft").headline, "H");
        assert!(matches!(parse_reply("{}"), Err(LlmError::Malformed(_))));
        assert!(matches!(
            parse_reply(&reply("I cannot help with that.")),
            Err(LlmError::Malformed(_))
        ));
        assert!(matches!(parse_reply(&reply("{\"headline\": 3}")), Err(LlmError::Malformed(_))));
    }

    #[test]
    fn the_environment_turns_the_model_on() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| (*v).to_owned())
        };
        assert_eq!(LlmConfig::from_vars(vars(&[("MARKETDESK_LLM_MODEL", "m")])), None);
        let c = LlmConfig::from_vars(vars(&[
            ("MARKETDESK_LLM_BASE_URL", "http://127.0.0.1:9/v1/"),
            ("MARKETDESK_LLM_MODEL", "m"),
        ]))
        .expect("configured");
        assert_eq!((c.base_url.as_str(), c.api_key), ("http://127.0.0.1:9/v1", None));
    }
}
