"""The LLM planner (LangChain tool calling) and the LLM narrative.

LangChain is the optional ``[llm]`` extra: this package's ``__init__`` imports nothing, and
``factory.build_llm_planner`` / ``build_narrator`` load the LangChain modules only when an LLM is
configured, so the offline default runs without them.

    planner = build_llm_planner(settings, semantic_catalog=describe_semantic_model(model))  # factory
    result = planner.plan(question, context, check)                                          # planner
"""
