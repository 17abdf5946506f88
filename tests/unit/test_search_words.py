from graph.search import plain_words


def test_lucene_syntax_and_operators_become_plain_words() -> None:
    assert plain_words('Motel  AND "ring" OR title:* (x') == 'motel and \\"ring\\" or title\\:\\* \\(x'
    assert plain_words("a+b -c && d || !e {f} [g] ^h ~i ?j \\k /l") == (
        "a\\+b \\-c \\&\\& d \\|\\| \\!e \\{f\\} \\[g\\] \\^h \\~i \\?j \\\\k \\/l"
    )
