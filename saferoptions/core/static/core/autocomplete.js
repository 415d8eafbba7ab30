// Search-as-you-type for long lists (accessible-autocomplete, from npm), added to a plain
// <select> only when scripts run: without them the select still works and the server checks
// every choice. Pages opt in with data-autocomplete="single" or "multiple" on the select;
// no inline script is needed, so a Content-Security-Policy may forbid it.
(function () {
  'use strict'
  var lib = window.accessibleAutocomplete
  if (!lib) { return }

  // accessible-autocomplete draws each suggestion with innerHTML, and its default template
  // gives the text back unchanged. The words are people's (a place a licensing officer named,
  // a group an analyst named), so each suggestion is escaped: shown as text, never as markup.
  function asText (value) {
    var holder = document.createElement('div')
    holder.textContent = value == null ? '' : String(value)
    return holder.innerHTML
  }
  var templates = { suggestion: asText }

  function single (select) {
    var config = {
      selectElement: select,
      templates: templates,
      defaultValue: '',
      showAllValues: true,
      dropdownArrow: function () { return '' },
      tNoResults: function () { return 'Not listed' }
    }
    var notListed = select.getAttribute('data-not-listed')
    if (notListed) { offerNotListed(select, notListed, config) }
    lib.enhanceSelectElement(config)
  }

  // A list that ends with "not listed" (core/widgets.py): that choice is offered whatever is
  // typed, and choosing it reveals the fields that describe the thing; any other choice hides
  // them. Without scripts the fields are simply shown below the select.
  function offerNotListed (select, notListed, config) {
    var options = Array.prototype.filter.call(select.options, function (o) { return o.value })
    var escape = options.filter(function (o) { return o.value === notListed })[0]
    var described = document.getElementById(select.getAttribute('data-reveals'))
    if (!escape) { return }
    function show () { if (described) { described.hidden = select.value !== notListed } }
    config.source = function (query, populate) {
      var q = query.toLowerCase()
      var found = options.filter(function (o) {
        return o !== escape && o.text.toLowerCase().indexOf(q) !== -1
      }).map(function (o) { return o.text })
      populate(found.concat([escape.text]))
    }
    config.onConfirm = function (text) {
      var match = options.filter(function (o) { return o.text === text })[0]
      if (match) { match.selected = true }
      show()
    }
    config.tNoResults = function () { return escape.text }
    show()
  }

  // accessible-autocomplete chooses one thing; for several, each choice joins a list below the
  // box (with a button to remove it) and is selected in the hidden <select>, which is submitted.
  function multiple (select) {
    var options = Array.prototype.filter.call(select.options, function (o) { return o.value })
    var wrapper = document.createElement('div')
    var chosen = document.createElement('ul')
    var inputId = select.id
    chosen.className = 'govuk-list app-autocomplete__chosen'
    chosen.setAttribute('aria-live', 'polite')
    select.id = inputId + '-select'
    select.hidden = true
    select.parentNode.insertBefore(wrapper, select)
    select.parentNode.insertBefore(chosen, select.nextSibling)

    function render () {
      chosen.textContent = ''
      options.filter(function (o) { return o.selected }).forEach(function (o) {
        var item = document.createElement('li')
        var remove = document.createElement('button')
        item.textContent = o.text + ' '
        remove.type = 'button'
        remove.className = 'govuk-button govuk-button--secondary govuk-!-margin-bottom-0'
        remove.textContent = 'Remove'
        var hidden = document.createElement('span')
        hidden.className = 'govuk-visually-hidden'
        hidden.textContent = ' ' + o.text
        remove.appendChild(hidden)
        remove.addEventListener('click', function () { o.selected = false; render() })
        item.appendChild(remove)
        chosen.appendChild(item)
      })
    }

    lib({
      element: wrapper,
      id: inputId,
      templates: templates,
      minLength: 1,
      source: function (query, populate) {
        var q = query.toLowerCase()
        populate(options.filter(function (o) {
          return !o.selected && o.text.toLowerCase().indexOf(q) !== -1
        }).map(function (o) { return o.text }))
      },
      onConfirm: function (text) {
        var match = options.filter(function (o) { return o.text === text })[0]
        if (!match) { return }
        match.selected = true
        render()
        // Empty the box for the next choice once the component has finished its own update.
        window.setTimeout(function () {
          var input = document.getElementById(inputId)
          if (input) { input.value = '' }
        }, 0)
      },
      tNoResults: function () { return 'Not listed' }
    })
    render()
  }

  // A text box that types from a <datalist> shared by the page (one copy of a long list,
  // however many boxes use it): the box is replaced by search-as-you-type under its own name.
  function listed (input) {
    var list = document.getElementById(input.getAttribute('list'))
    if (!list) { return }
    var labels = Array.prototype.map.call(list.options, function (o) { return o.value })
    var wrapper = document.createElement('div')
    input.parentNode.insertBefore(wrapper, input)
    input.parentNode.removeChild(input)
    lib({
      element: wrapper,
      id: input.id,
      name: input.name,
      templates: templates,
      defaultValue: input.value,
      minLength: 2,
      source: function (query, populate) {
        var q = query.toLowerCase()
        populate(labels.filter(function (l) { return l.toLowerCase().indexOf(q) !== -1 }))
      },
      tNoResults: function () { return 'No known place has that name' }
    })
  }

  Array.prototype.forEach.call(document.querySelectorAll('input[data-autocomplete="list"]'), listed)

  var selects = document.querySelectorAll('select[data-autocomplete]')
  Array.prototype.forEach.call(selects, function (select) {
    if (select.getAttribute('data-autocomplete') === 'multiple') { multiple(select) } else { single(select) }
  })
})()
