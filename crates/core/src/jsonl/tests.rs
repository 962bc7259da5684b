use super::*;

fn read(text: &[u8], on_error: OnError) -> Result<Corpus, ReadError> {
    let options = ReadOptions {
        on_error,
        ..ReadOptions::default()
    };
    Corpus::from_bytes("in.jsonl", text.to_vec(), &options)
}

#[test]
fn keeps_original_line_bytes() {
    let corpus = read(
        b"{\"text\": \"a\\u00e9\", \"x\": 1}\n{\"text\":\"b\"}",
        OnError::Stop,
    )
    .unwrap();
    assert_eq!(corpus.len(), 2);
    assert_eq!(corpus.line(0), b"{\"text\": \"a\\u00e9\", \"x\": 1}");
    assert_eq!(corpus.text(0).unwrap(), "a\u{e9}");
    assert_eq!(corpus.line(1), b"{\"text\":\"b\"}");
}

#[test]
fn handles_bom_crlf_and_blank_lines() {
    let corpus = read(
        b"\xEF\xBB\xBF{\"text\":\"a\"}\r\n\r\n   \n{\"text\":\"b\"}\r\n",
        OnError::Stop,
    )
    .unwrap();
    assert_eq!(corpus.len(), 2);
    assert_eq!(corpus.blank_lines(), 2);
    assert_eq!(corpus.line(0), b"{\"text\":\"a\"}\r");
    assert_eq!(corpus.records()[1].line, 4);
    assert_eq!(corpus.text(1).unwrap(), "b");
}

#[test]
fn stop_reports_file_line_and_problem() {
    let err = read(b"{\"text\":\"a\"}\n{\"text\": 3}\n", OnError::Stop).unwrap_err();
    assert_eq!(
        err.to_string(),
        "in.jsonl:2: field \"text\" is not text (a number)"
    );
    let err = read(b"{\"text\":\"a\"}\n{oops\n", OnError::Stop).unwrap_err();
    assert!(
        err.to_string().starts_with("in.jsonl:2: not valid JSON"),
        "{err}"
    );
    let err = read(b"{\"text\":\"a\"}\n{\"body\":\"a\"}\n", OnError::Stop).unwrap_err();
    assert_eq!(err.to_string(), "in.jsonl:2: no field \"text\"");
    let err = read(b"{\"text\":\"a\xff\"}\n", OnError::Stop).unwrap_err();
    assert_eq!(
        err.to_string(),
        "in.jsonl:1: invalid UTF-8 at byte 10 of the line"
    );
    let err = read(b"[1,2]\n", OnError::Stop).unwrap_err();
    assert_eq!(err.to_string(), "in.jsonl:1: not a JSON object");
}

#[test]
fn skip_keeps_every_bad_line() {
    let corpus = read(
        b"{\"text\":\"a\"}\nnope\n{\"text\":\"b\"}\n{\"t\":1}\n",
        OnError::Skip,
    )
    .unwrap();
    assert_eq!(corpus.len(), 2);
    let lines: Vec<usize> = corpus.issues().iter().map(|i| i.line).collect();
    assert_eq!(lines, vec![2, 4]);
    assert_eq!(corpus.issue_line(&corpus.issues()[0]), b"nope");
}

#[test]
fn empty_file_is_an_error() {
    assert!(matches!(
        read(b"", OnError::Stop),
        Err(ReadError::Empty { .. })
    ));
    assert!(matches!(
        read(b"\n\n", OnError::Skip),
        Err(ReadError::Empty { .. })
    ));
}

#[test]
fn nested_paths_and_chat_messages() {
    let options = ReadOptions {
        field: FieldPath::new("meta.body"),
        ..ReadOptions::default()
    };
    let corpus =
        Corpus::from_bytes("n", b"{\"meta\":{\"body\":\"deep\"}}".to_vec(), &options).unwrap();
    assert_eq!(corpus.text(0).unwrap(), "deep");

    let options = ReadOptions {
        field: FieldPath::new("messages"),
        ..ReadOptions::default()
    };
    let chat =
        br#"{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}"#;
    let corpus = Corpus::from_bytes("c", chat.to_vec(), &options).unwrap();
    assert_eq!(corpus.text(0).unwrap(), "hi\nhello");

    let options = ReadOptions {
        field: FieldPath::new("a.b"),
        ..ReadOptions::default()
    };
    let dotted = br#"{"a.b":"literal key","a":{"b":"nested"}}"#;
    let corpus = Corpus::from_bytes("d", dotted.to_vec(), &options).unwrap();
    assert_eq!(corpus.text(0).unwrap(), "literal key");
}

#[test]
fn reads_gzip_members() {
    let part = |s: &[u8]| {
        let mut member = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
        member.extend(miniz_oxide::deflate::compress_to_vec(s, 6));
        member.extend(crc32fast::hash(s).to_le_bytes());
        member.extend((s.len() as u32).to_le_bytes());
        member
    };
    let mut bytes = part(b"{\"text\":\"a\"}\n");
    bytes.extend(part(b"{\"text\":\"b\"}\n"));
    let corpus = Corpus::from_bytes("g.jsonl.gz", bytes.clone(), &ReadOptions::default()).unwrap();
    assert_eq!(corpus.len(), 2);
    assert_eq!(corpus.text(1).unwrap(), "b");
    assert_eq!(gunzip_file("g", &bytes, 26).unwrap().len(), 26);
    let err = gunzip_file("g.jsonl.gz", &bytes, 20).unwrap_err();
    assert!(matches!(err, ReadError::TooLarge { .. }), "{err}");
}

/// Reads `text` through the chunker in pieces of `piece` bytes.
fn read_in_pieces(text: &[u8], piece: usize, options: &ReadOptions) -> Vec<Corpus> {
    let mut chunker = LineChunker::new();
    let mut chunks: Vec<Chunk> = text.chunks(piece).filter_map(|p| chunker.push(p)).collect();
    chunks.extend(chunker.finish());
    chunks
        .into_iter()
        .map(|chunk| Corpus::from_chunk("in.jsonl", chunk, options).unwrap())
        .collect()
}

#[test]
fn chunks_read_as_the_whole_file() {
    let text: &[u8] = b"\xEF\xBB\xBF{\"text\":\"a\"}\r\n\n{\"text\":\"b\"}\nnope\n{\"text\":\"c\"}\n  \n{\"t\":1}\n{\"text\":\"d\"}";
    let options = ReadOptions {
        on_error: OnError::Skip,
        ..ReadOptions::default()
    };
    let whole = Corpus::from_bytes("in.jsonl", text.to_vec(), &options).unwrap();
    let expected: Vec<(u64, u64, u32, String)> = (0..whole.len())
        .map(|i| {
            let r = whole.records()[i];
            (r.start as u64, r.end as u64, r.line, whole.text(i).unwrap())
        })
        .collect();
    for piece in 1..text.len() + 1 {
        let corpora = read_in_pieces(text, piece, &options);
        let mut records = Vec::new();
        let (mut issues, mut blank) = (Vec::new(), 0);
        for corpus in &corpora {
            for i in 0..corpus.len() {
                let r = corpus.records()[i];
                let at = corpus.offset();
                records.push((
                    at + r.start as u64,
                    at + r.end as u64,
                    r.line,
                    corpus.text(i).unwrap(),
                ));
            }
            issues.extend(
                corpus
                    .issues()
                    .iter()
                    .map(|issue| (issue.line, corpus.issue_line(issue).to_vec())),
            );
            blank += corpus.blank_lines();
        }
        assert_eq!(records, expected, "pieces of {piece} bytes");
        assert_eq!(
            issues,
            vec![(4, b"nope".to_vec()), (7, b"{\"t\":1}".to_vec())]
        );
        assert_eq!(blank, whole.blank_lines());
    }
}

#[test]
fn a_bad_line_in_a_later_chunk_names_its_file_line() {
    let mut chunker = LineChunker::new();
    let first = chunker
        .push(b"{\"text\":\"a\"}\n{\"text\":\"b\"}\n{\"te")
        .unwrap();
    assert_eq!((first.offset, first.first_line), (0, 1));
    let second = chunker.push(b"xt\": 3}\n").unwrap();
    assert_eq!((second.offset, second.first_line), (26, 3));
    let err = Corpus::from_chunk("in.jsonl", second, &ReadOptions::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "in.jsonl:3: field \"text\" is not text (a number)"
    );
    assert_eq!(chunker.finish(), None);
}

#[test]
fn a_bom_is_skipped_only_at_the_start_of_the_file() {
    let chunk = Chunk {
        bytes: b"\xEF\xBB\xBF{\"text\":\"a\"}\n".to_vec(),
        offset: 10,
        first_line: 2,
    };
    let err = Corpus::from_chunk("in.jsonl", chunk, &ReadOptions::default()).unwrap_err();
    assert!(
        err.to_string().starts_with("in.jsonl:2: not valid JSON"),
        "{err}"
    );
}

#[test]
fn field_candidates_lists_text_fields() {
    let bytes = br#"{"text":"a","origin":"x","n":1,"meta":{"body":"b"}}"#;
    let fields = field_candidates(bytes, 10);
    let names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, vec!["meta.body", "origin", "text"]);
}
