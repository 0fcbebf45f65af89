package io.tribute.registry.service;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks the SPDX license expression grammar (SPDX 2.3 annex D): ids, "+", WITH, AND, OR, parentheses. */
final class SpdxExpressions {

    private static final Pattern TOKEN = Pattern.compile("\\s*(\\(|\\)|[A-Za-z0-9.\\-:+]+)\\s*");
    private static final Pattern ID = Pattern.compile("(DocumentRef-[A-Za-z0-9.\\-]+:)?(LicenseRef-)?[A-Za-z0-9.\\-]+\\+?");

    private final List<String> tokens;
    private int position;

    private SpdxExpressions(List<String> tokens) {
        this.tokens = tokens;
    }

    static boolean isValid(String expression) {
        List<String> tokens = new ArrayList<>();
        Matcher matcher = TOKEN.matcher(expression);
        int end = 0;
        while (end < expression.length() && matcher.find(end) && matcher.start() == end) {
            tokens.add(matcher.group(1));
            end = matcher.end();
        }
        if (end != expression.length() || tokens.isEmpty()) {
            return false;
        }
        SpdxExpressions parser = new SpdxExpressions(tokens);
        return parser.orExpression() && parser.position == tokens.size();
    }

    private boolean orExpression() {
        if (!andExpression()) {
            return false;
        }
        while (accept("OR")) {
            if (!andExpression()) {
                return false;
            }
        }
        return true;
    }

    private boolean andExpression() {
        if (!term()) {
            return false;
        }
        while (accept("AND")) {
            if (!term()) {
                return false;
            }
        }
        return true;
    }

    private boolean term() {
        if (accept("(")) {
            return orExpression() && accept(")");
        }
        if (!license()) {
            return false;
        }
        return !accept("WITH") || license();
    }

    private boolean license() {
        if (position >= tokens.size()) {
            return false;
        }
        String token = tokens.get(position);
        if (isOperator(token) || !ID.matcher(token).matches()) {
            return false;
        }
        position++;
        return true;
    }

    private boolean accept(String token) {
        if (position < tokens.size() && tokens.get(position).equals(token)) {
            position++;
            return true;
        }
        return false;
    }

    private static boolean isOperator(String token) {
        return token.equals("AND") || token.equals("OR") || token.equals("WITH") || token.equals("(")
                || token.equals(")");
    }
}
